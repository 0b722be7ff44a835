// A guest built on the C++ guest SDK (tests/wasm/guests/sdk_echo.cpp) under both runtimes: what
// the host lowers while the SDK reads a delivery goes to the SDK's 4 KiB scratch when it fits and
// to the guest's heap when it does not, and each way the guest gets the same values back.

#include <wasmq/testing/testing.hpp>
#include <wasmq/wasm/interpreter.hpp>
#include <wasmq/wasm/wasm2c.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

extern "C" const wasmq_wasm2c_module* wasmq_wasm2c_sdk_echo(void);

namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using wasmq::testkit::Harness;
using wasmq::testkit::TrafficKind;
namespace host = wasmq::host;

/// abi::Scratch::kBytes in guest-sdk/include/wasi/messaging/types.hpp.
constexpr std::size_t kScratchBytes = 4096;

enum class Runtime : std::uint8_t { kWasm2c, kInterpreter };

class SdkGuestTest : public ::testing::TestWithParam<Runtime> {
 protected:
  std::shared_ptr<wasmq::wasm::WasmGuest> Instantiate(host::GuestLimits limits = {}) {
    auto context = std::make_shared<host::GuestContext>(*harness_.default_guest());
    context->identity = "sdk-echo";
    context->limits = limits;
    auto guest =
        GetParam() == Runtime::kWasm2c
            ? wasmq::wasm::MakeWasm2cGuest(std::move(context), *wasmq_wasm2c_sdk_echo())
            : wasmq::wasm::LoadInterpretedGuest(std::move(context), std::filesystem::path(WASMQ_SDK_ECHO_WASM));
    EXPECT_TRUE(guest) << guest.error();
    return guest ? *guest : nullptr;
  }

  /// The messages echoed for topic "in", in order.
  std::vector<wasmq::testkit::TrafficEvent> Echoed() {
    return harness_.traffic().select([](const wasmq::testkit::TrafficEvent& event) {
      return event.kind == TrafficKind::sent && event.topic() == "echo.in";
    });
  }

  Harness harness_;
};

TEST_P(SdkGuestTest, ResultsThatFitTheScratchTakeNothingFromTheHeap) {
  auto guest = Instantiate();
  const auto outcome =
      harness_.deliver(*guest, "in", "hello", {.content_type = "text/plain", .metadata = {{"k", "v"}, {"k2", "v2"}}});
  EXPECT_TRUE(outcome.accepted()) << outcome;
  const auto echoed = Echoed();
  ASSERT_EQ(echoed.size(), 1u);
  EXPECT_EQ(echoed[0].text(), "hello");
  EXPECT_EQ(echoed[0].message.content_type(), "text/plain");
  EXPECT_THAT(echoed[0].message.metadata(), ElementsAre(Pair("k", "v"), Pair("k2", "v2"), Pair("heap-lowerings", "0")));
}

TEST_P(SdkGuestTest, DataTheSizeOfTheScratchFitsAndOneByteMoreGoesToTheHeap) {
  auto guest = Instantiate();
  const std::string at_limit(kScratchBytes, 'a');
  const std::string past_limit = std::string(kScratchBytes, 'b') + "c";
  EXPECT_TRUE(harness_.deliver(*guest, "in", at_limit).accepted());
  EXPECT_TRUE(harness_.deliver(*guest, "in", past_limit).accepted());
  const auto echoed = Echoed();
  ASSERT_EQ(echoed.size(), 2u);
  EXPECT_EQ(echoed[0].text(), at_limit);
  EXPECT_EQ(echoed[0].metadata("heap-lowerings"), "0");
  EXPECT_EQ(echoed[1].text(), past_limit);
  EXPECT_EQ(echoed[1].metadata("heap-lowerings"), "1");
}

TEST_P(SdkGuestTest, MetadataPartlyPastTheScratchIsReadWhole) {
  // The entries' list and "a" with its value fit; "b"'s value does not (heap), "c" fits in what
  // is left, its value does not (heap).
  auto guest = Instantiate();
  const std::string value_a(3000, 'a');
  const std::string value_b(3000, 'b');
  const std::string value_c(3000, 'c');
  EXPECT_TRUE(
      harness_.deliver(*guest, "in", "x", {.metadata = {{"a", value_a}, {"b", value_b}, {"c", value_c}}}).accepted());
  const auto echoed = Echoed();
  ASSERT_EQ(echoed.size(), 1u);
  EXPECT_THAT(echoed[0].message.metadata(),
              ElementsAre(Pair("a", value_a), Pair("b", value_b), Pair("c", value_c), Pair("heap-lowerings", "2")));
}

TEST_P(SdkGuestTest, ResultsOnTheHeapAreFreedSoMemoryStaysWithinItsLimit) {
  // 300 deliveries of 64 KiB each lower 19 MiB to the heap over the run; kept, they would pass the
  // 4 MiB limit after about 60 and the guest's malloc would fail (a trap).
  auto guest = Instantiate({.max_memory_bytes = std::size_t{4} * 1024 * 1024});
  const std::string data(std::size_t{64} * 1024, 'd');
  for (int i = 0; i < 300; ++i) {
    const auto outcome = harness_.deliver(*guest, "in", data);
    ASSERT_TRUE(outcome.accepted()) << "delivery " << i << ": " << outcome;
  }
  EXPECT_FALSE(guest->Trapped());
  EXPECT_EQ(Echoed().size(), 300u);
}

INSTANTIATE_TEST_SUITE_P(Runtimes, SdkGuestTest, ::testing::Values(Runtime::kWasm2c, Runtime::kInterpreter),
                         [](const auto& test_info) {
                           return test_info.param == Runtime::kWasm2c ? "wasm2c" : "interpreter";
                         });

}  // namespace
