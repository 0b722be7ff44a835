// Real WebAssembly guests under both runtimes: tests/wasm/guests/probe.c, built to wasm32,
// translated by wasm2c into this test (metered at build time) and loaded by the wabt interpreter
// (metered on loading). Each behaviour of the canonical ABI is checked at the guest's end (what
// it sends), and each way a guest can break it is checked to trap that instance only.

#include <wasi/messaging/request_reply.hpp>
#include <wasmq/broker.hpp>
#include <wasmq/testing/testing.hpp>
#include <wasmq/thread_pool_runtime.hpp>
#include <wasmq/wasm/interpreter.hpp>
#include <wasmq/wasm/meter.hpp>
#include <wasmq/wasm/wasm2c.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

extern "C" const wasmq_wasm2c_module* wasmq_wasm2c_probe(void);

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using wasmq::testkit::Harness;
using wasmq::testkit::TrafficKind;
namespace host = wasmq::host;
namespace types = wasi::messaging::types;

enum class Runtime : std::uint8_t { kWasm2c, kInterpreter };

std::string RuntimeName(Runtime runtime) { return runtime == Runtime::kWasm2c ? "wasm2c" : "interpreter"; }

/// A fresh instance of the probe on `runtime`, as `context` says.
std::expected<std::shared_ptr<wasmq::wasm::WasmGuest>, std::string> Instantiate(
    Runtime runtime, std::shared_ptr<const host::GuestContext> context) {
  if (runtime == Runtime::kWasm2c) return wasmq::wasm::MakeWasm2cGuest(std::move(context), *wasmq_wasm2c_probe());
  return wasmq::wasm::LoadInterpretedGuest(std::move(context), std::filesystem::path(WASMQ_PROBE_WASM));
}

class WasmGuestTest {
 public:
  virtual ~WasmGuestTest() = default;

 protected:
  [[nodiscard]] virtual Runtime Using() const = 0;

  /// A fresh instance of the probe, as the harness's default guest with `limits`.
  std::shared_ptr<wasmq::wasm::WasmGuest> Probe(host::GuestLimits limits = {.max_steps = 100'000}) {
    auto context = std::make_shared<host::GuestContext>(*harness_.default_guest());
    context->identity = "probe";
    context->limits = limits;
    auto guest = Instantiate(Using(), std::move(context));
    EXPECT_TRUE(guest) << guest.error();
    return guest ? *guest : nullptr;
  }

  /// The messages sent to `topic`, in order.
  std::vector<wasmq::testkit::TrafficEvent> SentTo(std::string_view topic) {
    return harness_.traffic().select([topic](const wasmq::testkit::TrafficEvent& event) {
      return event.kind == TrafficKind::sent && event.topic() == topic;
    });
  }

  Harness harness_;
};

class WasmRuntimeTest : public WasmGuestTest, public ::testing::TestWithParam<Runtime> {
 protected:
  [[nodiscard]] Runtime Using() const override { return GetParam(); }
};

TEST_P(WasmRuntimeTest, EchoesTopicDataMetadataAndContentType) {
  auto probe = Probe();
  const auto outcome =
      harness_.deliver(*probe, "in", "echo", {.content_type = "text/plain", .metadata = {{"k", "v"}, {"k2", "v2"}}});
  EXPECT_TRUE(outcome.accepted()) << outcome;
  const auto echoed = SentTo("echo.in");
  ASSERT_EQ(echoed.size(), 1u);
  EXPECT_EQ(echoed[0].text(), "echo");
  EXPECT_EQ(echoed[0].message.content_type(), "text/plain");
  EXPECT_THAT(echoed[0].message.metadata(), ElementsAre(Pair("k", "v"), Pair("k2", "v2")));
  EXPECT_EQ(probe->LiveResources(), 1u);  // its client; the delivered message was dropped
  EXPECT_EQ(probe->Handled(), 1u);
}

TEST_P(WasmRuntimeTest, BuildsMetadataWithSetAddAndRemove) {
  auto probe = Probe();
  EXPECT_TRUE(harness_.deliver(*probe, "in", "metadata").accepted());
  const auto built = SentTo("built");
  ASSERT_EQ(built.size(), 1u);
  EXPECT_THAT(built[0].message.metadata(), ElementsAre(Pair("b", "2"), Pair("c", "3")));
}

TEST_P(WasmRuntimeTest, RequestsAndGetsEveryExpectedReply) {
  const auto responder = [](std::string answer) {
    return wasmq::testkit::guest_from([answer](types::Message&& request) -> std::expected<void, types::Error> {
      return wasi::messaging::request_reply::Reply(
          request, types::Message(std::span(reinterpret_cast<const std::uint8_t*>(answer.data()), answer.size())));
    });
  };
  auto first = harness_.subscribe(responder("a"), {.topic = "service", .group = "a"});
  auto second = harness_.subscribe(responder("b"), {.topic = "service", .group = "b"});
  ASSERT_TRUE(first && second);
  auto probe = Probe();
  EXPECT_TRUE(harness_.deliver(*probe, "in", "ask").accepted());
  const auto answers = SentTo("answers");
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_THAT(answers[0].text(), ::testing::AnyOf("a+b", "b+a"));
  EXPECT_EQ(probe->LiveResources(), 1u);  // the replies were handed over and dropped
}

TEST_P(WasmRuntimeTest, RepliesToTheDeliveredRequest) {
  auto probe = Probe();
  EXPECT_TRUE(harness_.deliver(*probe, "in", "reply", {.reply_to = "replies.1"}).accepted());
  const auto replies = SentTo("replies.1");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].text(), "pong");
}

TEST_P(WasmRuntimeTest, AGuestsErrorSettlesItsDeliveryAsANativeGuestsDoes) {
  auto probe = Probe();
  const auto outcome = harness_.deliver(*probe, "in", "fail");
  EXPECT_TRUE(outcome.released()) << outcome;
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(*outcome.error, types::Error::Other("asked to fail"));
  EXPECT_FALSE(probe->Trapped());
}

TEST_P(WasmRuntimeTest, AnErrorTextUpToTheMessageLimitIsTakenAndALongerOneTraps) {
  // "asked to fail" is 13 bytes: at max_message_bytes 13 it is the guest's error; at 12 the
  // guest has passed its limit.
  auto at_limit = Probe({.max_message_bytes = 13, .max_steps = 100'000});
  const auto taken = harness_.deliver(*at_limit, "in", "fail");
  ASSERT_TRUE(taken.error);
  EXPECT_EQ(*taken.error, types::Error::Other("asked to fail"));
  EXPECT_FALSE(at_limit->Trapped());

  auto past_limit = Probe({.max_message_bytes = 12, .max_steps = 100'000});
  const auto trapped = harness_.deliver(*past_limit, "in", "fail");
  ASSERT_TRUE(trapped.error);
  EXPECT_THAT(trapped.error->Message(), HasSubstr("trapped"));
  EXPECT_THAT(past_limit->TrapReason(), HasSubstr("error text of 13 bytes is over"));
}

struct Misbehaviour {
  const char* data;
  const char* trap;  // a part of the trap's text
};

class WasmTrapTest : public WasmGuestTest, public ::testing::TestWithParam<std::tuple<Runtime, Misbehaviour>> {
 protected:
  [[nodiscard]] Runtime Using() const override { return std::get<0>(GetParam()); }
  [[nodiscard]] const Misbehaviour& Doing() const { return std::get<1>(GetParam()); }
};

TEST_P(WasmTrapTest, TrapsThatInstanceOnlyAndTheHostGoesOn) {
  auto probe = Probe({.max_resources = 100, .max_steps = 100'000});
  const auto outcome = harness_.deliver(*probe, "in", Doing().data);
  EXPECT_TRUE(outcome.released()) << outcome;  // `other`: retried, dead-lettered at max_deliveries
  ASSERT_TRUE(outcome.error);
  EXPECT_THAT(outcome.error->Message(), HasSubstr("trapped"));
  EXPECT_THAT(probe->TrapReason(), HasSubstr(Doing().trap));

  // Poisoned: nothing runs in it again.
  const auto later = harness_.deliver(*probe, "in", "echo");
  ASSERT_TRUE(later.error);
  EXPECT_THAT(later.error->Message(), HasSubstr("trapped earlier"));
  EXPECT_TRUE(SentTo("echo.in").empty());

  // Another instance of the same module, and the broker, are untouched.
  auto fresh = Probe();
  EXPECT_TRUE(harness_.deliver(*fresh, "in", "echo").accepted());
  EXPECT_EQ(SentTo("echo.in").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Misbehaviours, WasmTrapTest,
    ::testing::Combine(::testing::Values(Runtime::kWasm2c, Runtime::kInterpreter),
                       ::testing::Values(Misbehaviour{"drop-twice", "is not a live resource"},
                                         Misbehaviour{"bad-pointer", "out of bounds"},
                                         Misbehaviour{"bad-utf8", "not UTF-8"}, Misbehaviour{"bad-area", "not aligned"},
                                         Misbehaviour{"recurse", "exhausted"}, Misbehaviour{"hoard", "resources"},
                                         Misbehaviour{"loop", "out of steps"})),
    [](const auto& test_info) {
      std::string name = RuntimeName(std::get<0>(test_info.param)) + "_" + std::get<1>(test_info.param).data;
      std::erase(name, '-');
      return name;
    });

TEST_P(WasmRuntimeTest, APoisonedGuestsDeliveryIsDeadLetteredAtMaxDeliveries) {
  ASSERT_TRUE(harness_.broker().declare_queue("jobs.dead"));
  ASSERT_TRUE(harness_.broker().declare_queue("jobs", {.max_deliveries = 2, .dead_letter = "jobs.dead"}));
  auto probe = Probe();
  auto subscribed = harness_.subscribe(probe, {.topic = "jobs", .queue = true, .outcome = {.retry_delay = {}}});
  ASSERT_TRUE(subscribed);
  ASSERT_TRUE(harness_.publish("jobs", "drop-twice"));
  harness_.run_until_idle();
  EXPECT_TRUE(probe->Trapped());
  ASSERT_EQ(harness_.traffic().dead_letters().size(), 1u);
  EXPECT_EQ(harness_.traffic().dead_letters()[0].text(), "drop-twice");
}

TEST_P(WasmRuntimeTest, MemoryGrowsNoFurtherThanTheGuestsLimit) {
  auto probe = Probe();
  EXPECT_TRUE(harness_.deliver(*probe, "in", "grow").accepted());
  const auto grown = SentTo("grown");
  ASSERT_EQ(grown.size(), 1u);
  EXPECT_EQ(grown[0].text(), "grow=-1");  // 1 GiB more is past the default 64 MiB
}

TEST_P(WasmRuntimeTest, MemoryThatGrowsWhileTheHostLowersAMessageIsReadWhereItMoved) {
  // 900 KiB is more than the guest's heap has: its cabi_realloc grows memory (which may move it)
  // in the middle of the host lowering `data`; the host must write where memory is afterwards.
  auto probe = Probe();
  std::string big = "big:" + std::string(900 * 1024 - 5, 'x') + "!";
  const auto outcome = harness_.deliver(*probe, "in", big);
  EXPECT_TRUE(outcome.accepted()) << outcome;
  const auto sizes = SentTo("sizes");
  ASSERT_EQ(sizes.size(), 1u);
  EXPECT_EQ(sizes[0].text(), std::to_string(big.size()) + " !");
}

TEST_P(WasmRuntimeTest, ACabiReallocThatTrapsInsideAnImportTrapsThatDeliveryOnly) {
  // With no room to grow (its limit is its first two pages), the probe's cabi_realloc traps while
  // the host lowers `data`: a trap inside a call into the guest made from inside another (the
  // import that `handle` called). It must land in that inner call, and the trap the import then
  // raises must land in `handle`'s own; the delivery ends, the instance is poisoned, and the host
  // and other instances go on.
  auto probe = Probe({.max_memory_bytes = 2 * 65536, .max_steps = 100'000});
  const std::string big = "big:" + std::string(900 * 1024 - 5, 'x') + "!";
  const auto outcome = harness_.deliver(*probe, "in", big);
  EXPECT_TRUE(outcome.released()) << outcome;
  ASSERT_TRUE(outcome.error);
  EXPECT_THAT(outcome.error->Message(), HasSubstr("trapped"));
  EXPECT_THAT(probe->TrapReason(), HasSubstr("cabi_realloc trapped"));
  EXPECT_TRUE(SentTo("sizes").empty());

  const auto later = harness_.deliver(*probe, "in", "echo");
  ASSERT_TRUE(later.error);
  EXPECT_THAT(later.error->Message(), HasSubstr("trapped earlier"));

  auto fresh = Probe();
  EXPECT_TRUE(harness_.deliver(*fresh, "in", "echo").accepted());
  EXPECT_EQ(SentTo("echo.in").size(), 1u);
}

TEST_P(WasmRuntimeTest, AModuleWhoseFirstMemoryIsOverTheLimitIsNotInstantiated) {
  auto context = std::make_shared<host::GuestContext>(*harness_.default_guest());
  context->limits.max_memory_bytes = 65536;  // one page: less than wasi-libc's stack and heap start
  auto guest = Instantiate(GetParam(), std::move(context));
  ASSERT_FALSE(guest);
  EXPECT_THAT(guest.error(), HasSubstr("initial memory"));
}

TEST_P(WasmRuntimeTest, ADeliveryThatWouldReenterTheGuestWaitingInARequestIsRefused) {
  // The probe serves "service" itself: its own request's delivery arrives on the thread that is
  // inside it (the manual runtime runs it while the request waits). It must not run inside the
  // waiting instance; it is released, and the request ends at its deadline without a reply.
  auto probe = Probe();
  auto serves = harness_.subscribe(probe, {.topic = "service"});
  ASSERT_TRUE(serves);
  EXPECT_TRUE(harness_.deliver(*probe, "in", "ask").accepted());
  const auto answers = SentTo("answers");
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].text(), "error");  // timeout: no reply came
  EXPECT_GE(probe->RefusedReentries(), 1u);
  EXPECT_FALSE(probe->Trapped());
}

TEST_P(WasmRuntimeTest, InstancesOnTwoThreadsAtOnceLoseNothingAndATrapStaysInItsInstance) {
  // Two pool threads run deliveries to four instances of the module at once, so that they meet
  // at what instances of one runtime share (wasm2c: the process-wide turn to run and the trap
  // state that goes with it), while a fifth traps amid them. Each echoing instance sends
  // exactly what it was given; the trapping one is poisoned alone.
  constexpr std::size_t kInstances = 4;
  constexpr int kPerInstance = 300;
  wasmq::ThreadPoolRuntime runtime(2);
  wasmq::Broker broker(runtime);
  auto registry = std::make_shared<host::ConnectionRegistry>();
  registry->AddBroker("inproc", broker);
  const auto make = [&](std::string identity) {
    auto context = std::make_shared<const host::GuestContext>(host::GuestContext{
        std::move(identity), {.publish = {"echo.>"}, .subscribe = {"in.>"}}, registry, {.max_steps = 100'000}});
    auto guest = Instantiate(Using(), context);
    EXPECT_TRUE(guest) << guest.error();
    return std::pair{context, guest ? *guest : nullptr};
  };

  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::string, int> echoed;  // guarded by mutex
  auto sink = broker.subscribe("echo.>", {}, [&](wasmq::Delivery& delivery) {
    {
      const std::lock_guard lock(mutex);
      ++echoed[std::string(delivery.message().topic())];
    }
    changed.notify_all();
    (void)delivery.accept();
  });
  ASSERT_TRUE(sink);

  std::vector<std::shared_ptr<wasmq::wasm::WasmGuest>> guests;
  std::vector<host::GuestSubscription> subscriptions;
  for (std::size_t i = 0; i <= kInstances; ++i) {  // the last one gets one "recurse"
    auto [context, guest] = make("probe" + std::to_string(i));
    ASSERT_TRUE(guest);
    auto subscribed = host::SubscribeGuest(context, "inproc", guest, {.topic = "in." + std::to_string(i)});
    ASSERT_TRUE(subscribed) << subscribed.error();
    guests.push_back(std::move(guest));
    subscriptions.push_back(std::move(*subscribed));
  }
  for (int n = 0; n < kPerInstance; ++n) {
    for (std::size_t i = 0; i < kInstances; ++i) ASSERT_TRUE(broker.publish("in." + std::to_string(i), "echo"));
    if (n == kPerInstance / 2) {
      ASSERT_TRUE(broker.publish("in." + std::to_string(kInstances), "recurse"));
    }
  }

  std::unique_lock lock(mutex);
  const bool all_echoed = changed.wait_for(lock, std::chrono::seconds(60), [&] {
    int total = 0;
    for (const auto& [topic, count] : echoed) total += count;
    return total >= static_cast<int>(kInstances) * kPerInstance;
  });
  ASSERT_TRUE(all_echoed);
  for (std::size_t i = 0; i < kInstances; ++i) {
    EXPECT_EQ(echoed["echo.in." + std::to_string(i)], kPerInstance) << "instance " << i;
    EXPECT_FALSE(guests[i]->Trapped()) << guests[i]->TrapReason();
  }
  EXPECT_EQ(echoed.size(), kInstances);  // nothing from the trapping one
  lock.unlock();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!guests[kInstances]->Trapped() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_THAT(guests[kInstances]->TrapReason(), HasSubstr("exhausted"));
}

INSTANTIATE_TEST_SUITE_P(Runtimes, WasmRuntimeTest, ::testing::Values(Runtime::kWasm2c, Runtime::kInterpreter),
                         [](const auto& test_info) { return RuntimeName(test_info.param); });

/// Delivers one message to a module of tests/wasm/metering under the interpreter with `limits`.
std::expected<wasmq::testkit::Outcome, std::string> DeliverToMeteringModule(std::string_view module,
                                                                            const host::GuestLimits& limits,
                                                                            std::string* trap) {
  Harness harness;
  auto context = std::make_shared<host::GuestContext>(*harness.default_guest());
  context->limits = limits;
  auto guest = wasmq::wasm::LoadInterpretedGuest(
      std::move(context), std::filesystem::path(WASMQ_METERING_DIR) / (std::string(module) + ".wasm"));
  if (!guest) return std::unexpected(guest.error());
  auto outcome = harness.deliver(**guest, "in", "x");
  *trap = (*guest)->TrapReason();
  return outcome;
}

TEST(WasmMeterTest, ABulkInstructionIsChargedByItsLengthAtAndPastTheBudget) {
  // The handler fills 32 KiB, copies 32 KiB and fills 4,096 table elements: 96 steps of bulk work
  // and one for entering it. Charged a step each, a loop of such work would run ~64 KiB per step.
  std::string trap;
  auto enough = DeliverToMeteringModule("bulk_work", {.max_steps = 97}, &trap);
  ASSERT_TRUE(enough) << enough.error();
  EXPECT_TRUE(enough->accepted()) << *enough << " " << trap;

  auto short_by_one = DeliverToMeteringModule("bulk_work", {.max_steps = 96}, &trap);
  ASSERT_TRUE(short_by_one) << short_by_one.error();
  EXPECT_FALSE(short_by_one->accepted());
  EXPECT_THAT(trap, HasSubstr("out of steps"));
}

TEST(WasmMeterTest, RefusesAModuleThatExportsAFuelCountOfItsOwn) {
  // Its handler loops forever and never counts its `wasmq_fuel` down: taken as metered, a delivery
  // to it would never return.
  std::string trap;
  auto loaded = DeliverToMeteringModule("own_fuel", {.max_steps = 1000}, &trap);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error(), HasSubstr("already exports 'wasmq_fuel'"));
}

TEST(WasmMeterTest, ATableGrowsUpToTheLimitAndNotPastIt) {
  // One table of 10 elements, grown by 90 in the handler: a module may declare tables of millions
  // of elements (a few bytes of its own, 8 to 24 bytes each in the host) or grow one that far.
  std::string trap;
  auto at_the_limit = DeliverToMeteringModule("table_grow", {.max_table_elements = 100}, &trap);
  ASSERT_TRUE(at_the_limit) << at_the_limit.error();
  EXPECT_TRUE(at_the_limit->accepted()) << *at_the_limit << " " << trap;

  auto past_it = DeliverToMeteringModule("table_grow", {.max_table_elements = 99}, &trap);
  ASSERT_TRUE(past_it) << past_it.error();
  EXPECT_FALSE(past_it->accepted());
  EXPECT_THAT(trap, HasSubstr("unreachable"));  // table.grow returned -1

  EXPECT_TRUE(DeliverToMeteringModule("table_grow", {.max_table_elements = 10}, &trap));
  auto declared_past_it = DeliverToMeteringModule("table_grow", {.max_table_elements = 9}, &trap);
  ASSERT_FALSE(declared_past_it);
  EXPECT_THAT(declared_past_it.error(), HasSubstr("tables hold 10 elements at first, over the limit of 9"));
}

TEST(WasmMeterTest, TheLimitHoldsForAllOfAModulesTablesTogether) {
  // Two tables of 10: the first may grow by the 80 the limit leaves, the second not at all (the
  // handler traps otherwise). Capped one by one, a module could multiply the limit by its tables.
  std::string trap;
  auto shared = DeliverToMeteringModule("two_tables", {.max_table_elements = 100}, &trap);
  ASSERT_TRUE(shared) << shared.error();
  EXPECT_TRUE(shared->accepted()) << *shared << " " << trap;

  EXPECT_TRUE(DeliverToMeteringModule("two_tables", {.max_table_elements = 20}, &trap));
  auto declared_past_it = DeliverToMeteringModule("two_tables", {.max_table_elements = 19}, &trap);
  ASSERT_FALSE(declared_past_it);
  EXPECT_THAT(declared_past_it.error(), HasSubstr("tables hold 20 elements at first"));
}

TEST(WasmMeterTest, LimitsPastWhatAWasm32ModuleCanHoldAreNotWrapped) {
  // 2^32 + 5 elements written as a table's 32-bit maximum would come out as 5, below the table's
  // 10 (an invalid module); 8 GiB of memory as 131,072 pages, past a 32-bit memory's 65,536.
  std::string trap;
  auto large = DeliverToMeteringModule(
      "table_grow", {.max_memory_bytes = std::size_t{8} << 30, .max_table_elements = (1ULL << 32) + 5}, &trap);
  ASSERT_TRUE(large) << large.error();
  EXPECT_TRUE(large->accepted()) << *large << " " << trap;
}

TEST(WasmMeterTest, TheMeterToolsTableLimitIsTheGuestsDefault) {
  // A wasm2c guest keeps the table limit it was metered with at build time.
  EXPECT_EQ(wasmq::wasm::kDefaultMaxTableElements, host::GuestLimits{}.max_table_elements);
}

TEST(WasmMeterTest, AMalformedModuleThatWabtsIrReaderAbortsOnIsAnError) {
  // Found by fuzz/meter_fuzz.cpp: a second function body whose `end` comes before its last byte.
  // wabt 1.0.32's IR reader asserts on it (the process aborts); the validating read before it
  // refuses it.
  const std::vector<std::uint8_t> module = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0e, 0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01,
      0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06,
      0x01, 0x7f, 0x01, 0x00, 0x04, 0x00, 0x00, 0x5b, 0x04, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x00, 0x00, 0x00, 0x5b,
      0x04, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x5f, 0x66, 0x75, 0x65, 0x6c, 0x03, 0x00, 0x0c, 0x63, 0x61, 0x62, 0x69,
      0x5f, 0x97, 0x9a, 0x9e, 0x93, 0x93, 0x90, 0x9c, 0xff, 0x00, 0x30, 0x77, 0x61, 0x73, 0x69, 0x3a, 0x6d, 0x65,
      0x73, 0x73, 0x61, 0x67, 0x69, 0x6e, 0x67, 0x2f, 0x69, 0x6e, 0x63, 0x6f, 0x6d, 0x69, 0x6e, 0x67, 0x2d, 0x68,
      0x61, 0x6e, 0x64, 0x6c, 0x65, 0x72, 0x40, 0x30, 0x2e, 0x32, 0xff, 0xff, 0x2d, 0x64, 0x72, 0x61, 0x66, 0x74,
      0x23, 0x68, 0x61, 0x6e, 0x64, 0x6c, 0x65, 0x00, 0x01, 0x0a, 0x10, 0x02, 0x04, 0x00, 0x69, 0x5f, 0x0b, 0x09,
      0x00, 0x0b, 0x5b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x41, 0x0b,
  };
  Harness harness;
  auto guest = wasmq::wasm::LoadInterpretedGuest(harness.default_guest(), module);
  ASSERT_FALSE(guest);
  EXPECT_THAT(guest.error(), HasSubstr("not a WebAssembly module"));
}

TEST(WasmMeterTest, NeverReturnsAModuleThatDoesNotValidate) {
  // Found by fuzz/meter_fuzz.cpp: a table of typed references (0x6b), which wabt 1.0.32 reads and
  // validates but writes back with its limits misplaced. Meter says so instead of returning it.
  const std::vector<std::uint8_t> module = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0e, 0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f,
      0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x01, 0x04, 0x05, 0x01, 0x6b, 0x00, 0x80, 0x20, 0x05, 0x03,
      0x01, 0x00, 0x02, 0x07, 0x4e, 0x03, 0x06, 0x6d, 0x52, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x0c, 0x63, 0x61, 0x62,
      0x69, 0x5f, 0x72, 0x65, 0x61, 0x6c, 0x6c, 0x6f, 0x63, 0x00, 0x00, 0x32, 0x77, 0x61, 0x73, 0x69, 0x3a, 0x6d, 0x65,
      0x73, 0x73, 0x61, 0x67, 0x43, 0x6e, 0x67, 0x2f, 0x69, 0x6e, 0x63, 0x6f, 0x6d, 0x69, 0x6e, 0x67, 0x2d, 0x68, 0x61,
      0x6e, 0x64, 0x6c, 0x65, 0x72, 0x40, 0x30, 0x2e, 0x32, 0x2e, 0x30, 0x2d, 0x64, 0x72, 0x61, 0x66, 0x74, 0x23, 0x68,
      0x61, 0x6e, 0x64, 0x6c, 0x65, 0x00, 0x01, 0x0a, 0x30, 0x02, 0x04, 0x00, 0x41, 0x08, 0x0b, 0x29, 0x00, 0x41, 0x80,
      0x08, 0x41, 0x07, 0x41, 0x80, 0x80, 0x02, 0xfc, 0x0b, 0x00, 0x41, 0x80, 0x88, 0x02, 0x41, 0x80, 0x08, 0x41, 0x80,
      0x80, 0x02, 0xfc, 0x0a, 0x00, 0x00, 0x41, 0x00, 0xd0, 0x70, 0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x41, 0x00, 0x0b,
  };
  auto metered = wasmq::wasm::Meter(module);
  ASSERT_FALSE(metered);
  EXPECT_THAT(metered.error(), HasSubstr("wrote it back invalid"));
}

TEST(WasmInterpreterTest, RefusesAModuleThatIsNotOneOfTheWorld) {
  Harness harness;
  // (module (import "wasi:messaging/types@0.2.0-draft" "[method]message.priority" (func)))
  const std::string_view module_name = "wasi:messaging/types@0.2.0-draft";
  const std::string_view function = "[method]message.priority";
  std::vector<std::uint8_t> module = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // magic, version
                                      0x01, 0x04, 0x01, 0x60, 0x00, 0x00};             // type section: () -> ()
  module.push_back(0x02);                                                              // import section
  module.push_back(static_cast<std::uint8_t>(1 + 1 + module_name.size() + 1 + function.size() + 2));
  module.push_back(0x01);
  module.push_back(static_cast<std::uint8_t>(module_name.size()));
  module.insert(module.end(), module_name.begin(), module_name.end());
  module.push_back(static_cast<std::uint8_t>(function.size()));
  module.insert(module.end(), function.begin(), function.end());
  module.push_back(0x00);  // a function
  module.push_back(0x00);  // of type 0
  auto guest = wasmq::wasm::LoadInterpretedGuest(harness.default_guest(), module);
  ASSERT_FALSE(guest);
  EXPECT_THAT(guest.error(), HasSubstr("which wasi:messaging lacks"));
  auto garbage = wasmq::wasm::LoadInterpretedGuest(harness.default_guest(), std::vector<std::uint8_t>{1, 2, 3});
  ASSERT_FALSE(garbage);
  EXPECT_THAT(garbage.error(), HasSubstr("not a WebAssembly module"));
}

}  // namespace
