// The example host: six guests wired through the wasi:messaging facade. One run shows pub-sub
// fan-out, a work queue with competing consumers, a poison message retried and dead-lettered,
// request-reply with a timeout, and a permission denial; then prints what happened. Exits 0 when
// everything happened as the shop's rules say it must.
//
//   wasmq_example                         native guests on the embedded broker ("shop" in-process)
//   wasmq_example --nats nats://host:port the same guests on a NATS server with JetStream
//   wasmq_example --wasm [--nats URL]     the same guests' sources built to WebAssembly, run by
//                                         wasm2c (translated ahead of time, linked in)
//   wasmq_example --wasm-interp [--wasm-dir DIR] [--nats URL]
//                                         the same .wasm files loaded at run time by the wabt
//                                         interpreter (DIR: where shop_<guest>.unmetered.wasm
//                                         are)
//
// The guests connect to "shop" whatever the mode: only this host's configuration changes. The
// host reads the shop's outcome the way any outsider would: from the ledger's reports on
// `ledger.books`, whether the ledger is native or a WebAssembly instance.

#include "guests/checkout.hpp"
#include "guests/ledger.hpp"
#include "guests/mailer.hpp"
#include "guests/packer.hpp"
#include "guests/pricing.hpp"
#include "guests/shop_config.hpp"
#include "guests/shop_text.hpp"

#include <wasi/messaging/producer.hpp>
#include <wasmq/backends/inproc.hpp>
#include <wasmq/broker.hpp>
#include <wasmq/host/host.hpp>
#include <wasmq/host/turn.hpp>
#include <wasmq/thread_pool_runtime.hpp>
#ifdef WASMQ_EXAMPLE_WITH_NATS
#include <wasmq/backends/nats.hpp>
#endif
#ifdef WASMQ_EXAMPLE_WITH_WASM2C
#include <wasmq/wasm/interpreter.hpp>
#include <wasmq/wasm/wasm2c.hpp>

// The shop's guests, translated by wasm2c at build time (examples/CMakeLists.txt): C names.
// NOLINTBEGIN(readability-identifier-naming)
extern "C" {
const wasmq_wasm2c_module* wasmq_wasm2c_shop_pricing(void);
const wasmq_wasm2c_module* wasmq_wasm2c_shop_checkout(void);
const wasmq_wasm2c_module* wasmq_wasm2c_shop_packer_1(void);
const wasmq_wasm2c_module* wasmq_wasm2c_shop_packer_2(void);
const wasmq_wasm2c_module* wasmq_wasm2c_shop_ledger(void);
const wasmq_wasm2c_module* wasmq_wasm2c_shop_mailer(void);
}
// NOLINTEND(readability-identifier-naming)
#endif

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
namespace host = wasmq::host;
namespace types = wasi::messaging::types;

/// One guest as the host configures it: who it is, what it may do, what it receives. `native`
/// is the guest object of a native run; a WebAssembly run makes the guest from `wasm2c` instead.
struct Wiring {
  std::shared_ptr<wasi::messaging::incoming_handler::Guest> native;
  std::string identity;
  host::Permissions permissions;
  std::vector<host::Subscription> subscriptions;
#ifdef WASMQ_EXAMPLE_WITH_WASM2C
  const wasmq_wasm2c_module* wasm2c = nullptr;
#endif
};

/// The host's window on the shop: the latest books the ledger reported on `ledger.books`.
class BooksWatcher final : public wasi::messaging::incoming_handler::Guest {
 public:
  std::expected<void, types::Error> Handle(types::Message&& report) override {
    auto books = shop::Books::Parse(shop::TextOf(report));
    if (!books) return std::unexpected(types::Error::PermissionDenied("not a ledger report"));
    {
      std::lock_guard lock(mutex_);
      // Reports are sent one after another by one ledger, but delivered by several threads: the
      // books only grow, so the one with more events is the later one.
      const auto events = [](const shop::Books& b) {
        return b.created + b.failed + b.packed + b.mailed + static_cast<int>(b.dead_letters.size());
      };
      if (events(*books) >= events(books_)) books_ = std::move(*books);
    }
    changed_.notify_all();
    return {};
  }
  /// Waits until `done(books)` or `deadline`; returns the books then.
  shop::Books WaitUntil(const std::function<bool(const shop::Books&)>& done,
                        std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [&] { return done(books_); });
    return books_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  shop::Books books_;  // guarded by mutex_
};

/// A queue the shop keeps whatever the backend: work that must not be lost.
struct ShopQueue {
  std::string name;
  std::uint32_t max_deliveries = 10;
  std::string dead_letter;
};
const std::vector<ShopQueue> kShopQueues = {
    {"checkout", 3, "checkout.dead"},
    {"checkout.dead", 10, ""},
    {"fulfilment.jobs", 3, "fulfilment.dead"},
};
constexpr auto kShopLockDuration = 5s;

int failures = 0;

void Check(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    std::printf("  UNEXPECTED: %s\n", what.c_str());
  }
}

void PrintChannels(const wasmq::BrokerStats& stats) {
  std::printf("\n%-30s %9s %9s %8s %8s %8s %6s %5s\n", "channel (queue or subscription)", "published", "delivered",
              "accepted", "released", "rejected", "dead", "depth");
  for (const auto& queue : stats.queues) {
    if (queue.name.starts_with("_INBOX.")) continue;  // the facade's request inbox: replies, not a channel
    std::printf("%-30s %9llu %9llu %8llu %8llu %8llu %6llu %5llu\n", queue.name.c_str(),
                static_cast<unsigned long long>(queue.published), static_cast<unsigned long long>(queue.delivered),
                static_cast<unsigned long long>(queue.accepted), static_cast<unsigned long long>(queue.released),
                static_cast<unsigned long long>(queue.rejected),
                static_cast<unsigned long long>(queue.dead_lettered_total()),
                static_cast<unsigned long long>(queue.depth));
  }
  std::printf("%-30s %9llu (publish calls; %llu reached nobody)\n", "broker",
              static_cast<unsigned long long>(stats.published), static_cast<unsigned long long>(stats.unrouted));
}

/// The .wasm file of the guest named `identity` as it was before metering (the interpreter meters
/// what it loads, and refuses a module metered already): "packer-1" → "shop_packer_1.unmetered.wasm".
std::string WasmFileOf(std::string identity) {
  std::replace(identity.begin(), identity.end(), '-', '_');
  return "shop_" + identity + ".unmetered.wasm";
}

constexpr const char* kGuestKinds[] = {"native", "WebAssembly (wasm2c)", "WebAssembly (wabt interpreter)"};

int Usage(const char* program) {
  std::fprintf(stderr, "usage: %s [--wasm | --wasm-interp [--wasm-dir DIR]] [--nats nats://host:port]\n", program);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::string> nats_url;
  enum class Guests : std::uint8_t { kNative, kWasm2c, kInterpreter } guests = Guests::kNative;
#ifdef WASMQ_EXAMPLE_WASM_DIR
  std::string wasm_dir = WASMQ_EXAMPLE_WASM_DIR;
#else
  std::string wasm_dir = ".";
#endif
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--nats") == 0 && i + 1 < argc) {
      nats_url = argv[++i];
    } else if (std::strcmp(argv[i], "--wasm") == 0) {
      guests = Guests::kWasm2c;
    } else if (std::strcmp(argv[i], "--wasm-interp") == 0) {
      guests = Guests::kInterpreter;
    } else if (std::strcmp(argv[i], "--wasm-dir") == 0 && i + 1 < argc) {
      wasm_dir = argv[++i];
    } else {
      return Usage(argv[0]);
    }
  }
#ifndef WASMQ_EXAMPLE_WITH_WASM2C
  if (wasm) {
    std::puts(
        "this wasmq_example was built without WebAssembly guests (WASMQ_WITH_WASM2C=OFF or no clang-19/wasi-libc)");
    return 1;
  }
#endif

  // --- the backend behind the name "shop", and its queues (host configuration) -----------------
  wasmq::ThreadPoolRuntime runtime(2);
  wasmq::Broker broker(runtime);
  auto registry = std::make_shared<host::ConnectionRegistry>();
#ifdef WASMQ_EXAMPLE_WITH_NATS
  std::shared_ptr<wasmq::backends::NatsBackend> nats;
#endif
  if (!nats_url) {
    for (const auto& queue : kShopQueues) {
      if (!broker.declare_queue(queue.name, {.lock_duration = kShopLockDuration,
                                             .max_deliveries = queue.max_deliveries,
                                             .dead_letter = queue.dead_letter})) {
        std::printf("could not declare queue %s\n", queue.name.c_str());
        return 1;
      }
    }
    registry->Add("shop", wasmq::backends::MakeInprocBackend(broker));
  } else {
#ifdef WASMQ_EXAMPLE_WITH_NATS
    wasmq::backends::NatsOptions options{.url = *nats_url, .connection_name = "wasmq-example"};
    for (const auto& queue : kShopQueues) {
      options.durable.push_back({.name = queue.name,
                                 .lock_duration = kShopLockDuration,
                                 .max_deliveries = queue.max_deliveries,
                                 .dead_letter = queue.dead_letter});
    }
    auto backend = wasmq::backends::MakeNatsBackend(std::move(options));
    if (!backend) {
      std::printf("could not connect to %s: %s\n", nats_url->c_str(), backend.error().Message().c_str());
      return 1;
    }
    nats = *backend;
    registry->Add("shop", nats);
#else
    std::puts("this wasmq_example was built without the NATS backend (WASMQ_WITH_NATS=OFF)");
    return 1;
#endif
  }

  // --- the guests, their permissions and subscriptions ----------------------------------------
  const host::OutcomePolicy quick_retry{.retry_delay = 20ms};
  std::vector<Wiring> wiring = {
      {std::make_shared<shop::Pricing>(shop::PriceList()),
       "pricing",
       {.publish = {}, .subscribe = {"pricing.quote"}},
       {{.topic = "pricing.quote"}}},
      {std::make_shared<shop::Checkout>(shop::CheckoutConfig()),
       "checkout",
       {.publish = {"pricing.quote", "orders.*", "fulfilment.jobs"}, .subscribe = {"checkout"}},
       {{.topic = "checkout", .queue = true, .outcome = quick_retry}}},
      {std::make_shared<shop::Packer>(shop::PackerConfig("packer-1")),
       "packer-1",
       {.publish = {"orders.packed"}, .subscribe = {"fulfilment.jobs"}},
       {{.topic = "fulfilment.jobs", .queue = true, .outcome = quick_retry, .consumer = {.max_in_flight = 1}}}},
      {std::make_shared<shop::Packer>(shop::PackerConfig("packer-2")),
       "packer-2",
       {.publish = {"orders.packed"}, .subscribe = {"fulfilment.jobs"}},
       {{.topic = "fulfilment.jobs", .queue = true, .outcome = quick_retry, .consumer = {.max_in_flight = 1}}}},
      // The ledger is written without locks, as a WebAssembly guest is: one delivery at a time.
      {host::OneAtATime(std::make_shared<shop::Ledger>(shop::kShopConnection)),
       "ledger",
       {.publish = {"ledger.books"}, .subscribe = {"orders.>", "fulfilment.dead", "mail.outbox"}},
       {{.topic = "orders.>"}, {.topic = "fulfilment.dead"}, {.topic = "mail.outbox"}}},
      {std::make_shared<shop::Mailer>(shop::kShopConnection),
       "mailer",
       {.publish = {"mail.>"}, .subscribe = {"orders.created"}},
       {{.topic = "orders.created"}}},
  };
#ifdef WASMQ_EXAMPLE_WITH_WASM2C
  const std::vector<const wasmq_wasm2c_module*> wasm2c_modules = {
      wasmq_wasm2c_shop_pricing(),  wasmq_wasm2c_shop_checkout(), wasmq_wasm2c_shop_packer_1(),
      wasmq_wasm2c_shop_packer_2(), wasmq_wasm2c_shop_ledger(),   wasmq_wasm2c_shop_mailer()};
  for (std::size_t i = 0; i < wiring.size(); ++i) wiring[i].wasm2c = wasm2c_modules[i];
#endif

  // The host's own window: a native subscriber to the ledger's reports, subscribed first.
  auto watcher = std::make_shared<BooksWatcher>();
  std::vector<host::GuestSubscription> subscriptions;
  {
    auto context = std::make_shared<const host::GuestContext>(
        host::GuestContext{"host-watcher", {.publish = {}, .subscribe = {"ledger.books"}}, registry});
    auto subscribed = host::SubscribeGuest(context, "shop", watcher, {.topic = "ledger.books"});
    if (!subscribed) {
      std::printf("could not watch ledger.books: %s\n", subscribed.error().Message().c_str());
      return 1;
    }
    subscriptions.push_back(std::move(*subscribed));
  }
#ifdef WASMQ_EXAMPLE_WITH_WASM2C
  std::vector<std::shared_ptr<wasmq::wasm::WasmGuest>> wasm_guests;
#endif
  for (const auto& guest : wiring) {
    auto context =
        std::make_shared<const host::GuestContext>(host::GuestContext{guest.identity, guest.permissions, registry});
    std::shared_ptr<wasi::messaging::incoming_handler::Guest> handler = guest.native;
#ifdef WASMQ_EXAMPLE_WITH_WASM2C
    if (guests != Guests::kNative) {
      auto instance = guests == Guests::kWasm2c
                          ? wasmq::wasm::MakeWasm2cGuest(context, *guest.wasm2c)
                          : wasmq::wasm::LoadInterpretedGuest(
                                context, std::filesystem::path(wasm_dir) / WasmFileOf(guest.identity));
      if (!instance) {
        std::printf("could not instantiate %s: %s\n", guest.identity.c_str(), instance.error().c_str());
        return 1;
      }
      wasm_guests.push_back(*instance);
      handler = *instance;
    }
#endif
    for (const auto& subscription : guest.subscriptions) {
      auto subscribed = host::SubscribeGuest(context, "shop", handler, subscription);
      if (!subscribed) {
        std::printf("could not subscribe %s to %s: %s\n", guest.identity.c_str(), subscription.topic.c_str(),
                    subscribed.error().Message().c_str());
        return 1;
      }
      subscriptions.push_back(std::move(*subscribed));
    }
  }

  // --- the storefront: host code running as a guest that may only start checkouts ------------
  auto storefront = std::make_shared<const host::GuestContext>(
      host::GuestContext{"storefront", {.publish = {"checkout"}, .subscribe = {}}, registry});
  const std::vector<std::string> checkouts = {
      "ord-1 sku-book 2",      // fine
      "ord-2 sku-mug 1",       // fine
      "ord-3 sku-lamp 500",    // priced, but no box fits 500 lamps: a poison fulfilment job
      "ord-4 sku-unlisted 1",  // pricing never answers: the quote times out
      "ord-5 sku-book 1",      // fine
  };
  std::string denial;
  {
    host::ScopedGuest as_storefront(storefront);
    auto client = types::Client::Connect("shop");
    if (!client) {
      std::printf("storefront could not connect: %s\n", client.error().Message().c_str());
      return 1;
    }
    for (const auto& line : checkouts) {
      if (auto sent = wasi::messaging::producer::Send(*client, "checkout", shop::TextMessage(line)); !sent) {
        std::printf("checkout '%s' failed: %s\n", line.c_str(), sent.error().Message().c_str());
        return 1;
      }
    }
    // The storefront may not skip checkout and enqueue fulfilment jobs itself.
    auto forbidden = wasi::messaging::producer::Send(*client, "fulfilment.jobs", shop::TextMessage("ord-6 sku-mug 1"));
    denial = forbidden ? "(allowed!)"
                       : std::string(types::ToString(forbidden.error().GetKind())) + ": " + forbidden.error().Message();
    Check(!forbidden && forbidden.error().GetKind() == types::Error::Kind::kPermissionDenied,
          "the storefront's direct fulfilment job was not refused");
  }

  // --- wait for the shop to settle --------------------------------------------------------------
  const shop::Books books = watcher->WaitUntil(
      [](const shop::Books& b) {
        return b.created == 4 && b.failed == 1 && b.packed == 3 && b.mailed == 4 && b.dead_letters.size() == 1;
      },
      std::chrono::steady_clock::now() + 10s);
  Check(books.created == 4 && books.failed == 1 && books.packed == 3 && books.mailed == 4 &&
            books.dead_letters.size() == 1,
        "the ledger did not report 4 created, 1 failed, 3 packed, 4 mailed and 1 dead letter within 10 s");
  const auto packed_by = [&books](const std::string& packer) {
    const auto found = books.packed_by.find(packer);
    return found == books.packed_by.end() ? 0 : found->second;
  };
  if (!nats_url) {
    // The last guest events are booked; let the broker's last settlements land before reading stats.
    const auto idle = [&broker] {
      for (const auto& queue : broker.stats().queues) {
        if (queue.depth + queue.in_flight + queue.delayed > 0) return false;
      }
      return true;
    };
    runtime.wait_until(idle, runtime.now() + 5s);
    const wasmq::BrokerStats stats = broker.stats();
    std::printf("wasmq example host: 6 %s guests on the embedded broker, connection \"shop\" (2 runtime threads)\n",
                kGuestKinds[static_cast<int>(guests)]);
    PrintChannels(stats);
    // A queue by the name or pattern it receives from.
    const auto queue = [&stats](std::string_view binding) {
      for (const auto& q : stats.queues) {
        if (q.binding == binding) return q;
      }
      return wasmq::QueueStats{};
    };
    const auto jobs = queue("fulfilment.jobs");
    Check(queue("orders.>").accepted == 8 && queue("orders.created").accepted == 4,
          "fan-out: the ledger's subscription should accept 8 order events and the mailer's 4 orders");
    Check(jobs.delivered == 6 && jobs.dead_lettered_total() == 1,
          "poison: 3 jobs delivered once and one delivered 3 times, then dead-lettered");
    std::printf("\n%-18s %llu quote requests reached pricing\n", "pricing.quote",
                static_cast<unsigned long long>(queue("pricing.quote").accepted));
  } else {
#ifdef WASMQ_EXAMPLE_WITH_NATS
    const auto stats = nats->Stats();
    std::printf("wasmq example host: 6 %s guests on NATS at %s, connection \"shop\" (%s)\n",
                kGuestKinds[static_cast<int>(guests)], nats_url->c_str(),
                std::string(wasmq::backends::ToString(nats->Status())).c_str());
    std::printf("\n%-30s %9s %9s %8s %8s %8s %6s %7s\n", "backend", "published", "delivered", "accepted", "released",
                "rejected", "dead", "dropped");
    std::printf("%-30s %9llu %9llu %8llu %8llu %8llu %6llu %7llu\n", "NATS (core + JetStream)",
                static_cast<unsigned long long>(stats.published), static_cast<unsigned long long>(stats.delivered),
                static_cast<unsigned long long>(stats.accepted), static_cast<unsigned long long>(stats.released),
                static_cast<unsigned long long>(stats.rejected), static_cast<unsigned long long>(stats.dead_lettered),
                static_cast<unsigned long long>(stats.dropped));
#endif
  }

  std::puts("\nwhat happened");
  std::printf("  %-18s orders.* reached both subscribers: ledger booked %d events on orders.>, mailer confirmed %d\n",
              "pub-sub fan-out", books.created + books.failed + books.packed, books.mailed);
  std::printf(
      "  %-18s fulfilment.jobs: packer-1 packed %d, packer-2 packed %d (competing consumers, each job to one)\n",
      "work queue", packed_by("packer-1"), packed_by("packer-2"));
  for (const auto& letter : books.dead_letters) std::printf("  %-18s %s\n", "poison message", letter.c_str());
  std::printf("  %-18s %d checkouts priced; ", "request-reply", books.created);
  for (const auto& failure : books.failures) std::printf("%s", failure.c_str());
  std::printf("\n  %-18s storefront → fulfilment.jobs: %s\n", "permission denied", denial.c_str());
  std::printf("  %-18s %d created, %d failed, %d packed, revenue %ld.%02ld\n", "ledger", books.created, books.failed,
              books.packed, books.revenue_cents / 100, books.revenue_cents % 100);

  Check(books.created + books.failed + books.packed == 8 && books.mailed == 4,
        "fan-out: the ledger should book 8 order events (4 created, 1 failed, 3 packed) and the mailer confirm 4");
  Check(packed_by("packer-1") + packed_by("packer-2") == 3, "work queue: 3 jobs should be packed");
  Check(books.dead_letters.size() == 1 && books.dead_letters[0].find("max_deliveries after 3") != std::string::npos,
        "poison: ord-3's job should be dead-lettered as max_deliveries after 3 deliveries");
  Check(books.failures.size() == 1 && books.failures[0].starts_with("ord-4"),
        "request-reply: ord-4's quote should time out");
  Check(books.revenue_cents == 3 * 1250 + 800 + 500 * 4500, "ledger: revenue of ord-1, ord-2, ord-3 and ord-5");

#ifdef WASMQ_EXAMPLE_WITH_WASM2C
  for (const auto& guest : wasm_guests) {
    Check(!guest->Trapped(), "guest " + guest->Identity() + " trapped: " + guest->TrapReason());
  }
#endif
  subscriptions.clear();
  broker.shutdown();
  if (failures != 0) {
    std::printf("\n%d unexpected results\n", failures);
    return EXIT_FAILURE;
  }
  std::puts("\nall as expected");
  return EXIT_SUCCESS;
}
