#pragma once
/// The host side of the facade: which backends connection names resolve to, and which guest is
/// calling (its identity and permissions). A WebAssembly host keeps one GuestContext per guest
/// instance and makes it current while the guest runs; native tests do the same with ScopedGuest.

#include <wasi/messaging/types.hpp>
#include <wasmq/broker.hpp>

#include <atomic>
#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace wasi::messaging::host {

/// Where a client's operations go. The embedded broker is one backend; a NATS server is another.
class Backend {
 public:
  virtual ~Backend() = default;
  /// Publishes `message` (topic already set and validated, permissions already checked).
  virtual std::expected<void, types::Error> Publish(wasmq::Message&& message) = 0;
  /// A description for error messages, e.g. "inproc://orders".
  [[nodiscard]] virtual std::string Describe() const = 0;

  /// Turns a facade message into a broker message for `topic`, taking its buffers (no data copy).
  static wasmq::Message ToBrokerMessage(std::string_view topic, types::Message&& message);
};

/// A backend on an embedded wasmq::Broker, which must outlive it.
std::shared_ptr<Backend> MakeInprocBackend(wasmq::Broker& broker, std::string description);

/// Topic patterns (NATS wildcards `*` and `>`) a guest may publish to and subscribe to.
struct Permissions {
  std::vector<std::string> publish{">"};
  std::vector<std::string> subscribe{">"};

  [[nodiscard]] bool MayPublish(std::string_view topic) const noexcept;
  [[nodiscard]] bool MaySubscribe(std::string_view topic) const noexcept;
  /// Nothing allowed.
  static Permissions None() { return Permissions{{}, {}}; }
};

/// Maps connection names to backends. Thread-safe.
class ConnectionRegistry {
 public:
  /// Registers `broker` as "inproc://<name>"; the first broker registered also answers "inproc".
  void AddBroker(std::string_view name, wasmq::Broker& broker);
  /// Registers any backend under an exact connection name.
  void Add(std::string_view connection_name, std::shared_ptr<Backend> backend);
  /// The backend for `connection_name`. Errors: `connection` naming the known names.
  [[nodiscard]] std::expected<std::shared_ptr<Backend>, types::Error> Resolve(std::string_view connection_name) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Backend>, std::less<>> backends_;
};

/// One guest as the host sees it: its name, what it may do, and where its names resolve.
struct GuestContext {
  std::string identity;
  Permissions permissions;
  std::shared_ptr<const ConnectionRegistry> registry;
};

/// Makes `context` the current guest on this thread for its lifetime (restoring the previous
/// one after). Types::Client::Connect resolves names through the current guest.
class ScopedGuest {
 public:
  explicit ScopedGuest(std::shared_ptr<const GuestContext> context);
  ~ScopedGuest();
  ScopedGuest(const ScopedGuest&) = delete;
  ScopedGuest& operator=(const ScopedGuest&) = delete;

 private:
  std::shared_ptr<const GuestContext> previous_;
};

/// The current guest on this thread, or null.
[[nodiscard]] std::shared_ptr<const GuestContext> CurrentGuest() noexcept;

/// What a connected client holds: its backend, the guest that connected it, and whether it is open.
struct ClientState {
  std::shared_ptr<Backend> backend;
  std::shared_ptr<const GuestContext> guest;
  std::string connection_name;
  /// acq_rel exchange in Disconnect, acquire loads elsewhere: a client may be shared by a guest's
  /// threads, and exactly one Disconnect succeeds.
  std::atomic<bool> connected{true};

  /// The state of `client`, or null for a moved-from client.
  static const ClientState* Of(const types::Client& client) noexcept { return client.state_.get(); }
  static types::Client MakeClient(std::shared_ptr<ClientState> state) { return types::Client(std::move(state)); }
};

}  // namespace wasi::messaging::host
