#include "nats_connection.hpp"

#include <map>
#include <string>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

namespace {

// The client's connection callbacks run on its own threads and may come after the connection
// object is gone; they carry an id, looked up here, rather than a pointer that could dangle.
struct LiveConnections {
  std::mutex mutex;
  std::map<std::uint64_t, NatsConnection*> by_id;  // guarded by mutex
  std::uint64_t next_id = 1;                       // guarded by mutex
};

/// Never destroyed: a backend may be released during static destruction (a host's registry held
/// in a static), after a plain global would be gone.
LiveConnections& Live() {
  static auto* live = new LiveConnections();
  return *live;
}

template <class F>
void WithLive(void* closure, F&& f) {
  LiveConnections& live = Live();
  std::lock_guard lock(live.mutex);
  auto found = live.by_id.find(reinterpret_cast<std::uintptr_t>(closure));
  if (found != live.by_id.end()) f(*found->second);
}

}  // namespace

std::expected<std::unique_ptr<NatsConnection>, types::Error> NatsConnection::Open(const NatsOptions& options) {
  std::unique_ptr<NatsConnection> self(new NatsConnection());
  {
    LiveConnections& live = Live();
    std::lock_guard lock(live.mutex);
    self->id_ = live.next_id++;
    live.by_id.emplace(self->id_, self.get());
  }
  // An id carried as the callbacks' closure, never dereferenced.
  void* closure = reinterpret_cast<void*>(static_cast<std::uintptr_t>(self->id_));  // NOLINT(performance-no-int-to-ptr)
  natsOptions* raw_options = nullptr;
  natsStatus status = natsOptions_Create(&raw_options);
  if (status != NATS_OK) return std::unexpected(ErrorOf(status, "creating NATS options"));
  NatsPtr<natsOptions> nats_options(raw_options);
  const auto apply = [&](natsStatus result) {
    if (status == NATS_OK) status = result;
  };
  apply(natsOptions_SetURL(raw_options, options.url.c_str()));
  apply(natsOptions_SetName(raw_options, options.connection_name.c_str()));
  apply(natsOptions_SetTimeout(raw_options, options.connect_timeout.count()));
  apply(natsOptions_SetMaxReconnect(raw_options, options.max_reconnects));
  apply(natsOptions_SetReconnectWait(raw_options, options.reconnect_wait.count()));
  apply(natsOptions_SetReconnectBufSize(raw_options, options.reconnect_buffer_bytes));
  apply(natsOptions_SetSendAsap(raw_options, options.send_asap));
  if (!options.user.empty())
    apply(natsOptions_SetUserInfo(raw_options, options.user.c_str(), options.password.c_str()));
  if (!options.token.empty()) apply(natsOptions_SetToken(raw_options, options.token.c_str()));
  apply(natsOptions_SetDisconnectedCB(raw_options, &NatsConnection::OnDisconnected, closure));
  apply(natsOptions_SetReconnectedCB(raw_options, &NatsConnection::OnReconnected, closure));
  apply(natsOptions_SetClosedCB(raw_options, &NatsConnection::OnClosed, closure));
  apply(natsOptions_SetErrorHandler(raw_options, &NatsConnection::OnError, closure));
  if (status != NATS_OK) return std::unexpected(ErrorOf(status, "setting NATS options"));

  natsConnection* connection = nullptr;
  status = natsConnection_Connect(&connection, raw_options);
  if (status != NATS_OK) {
    return std::unexpected(types::Error::Connection(ErrorOf(status, "connecting to " + options.url).Message()));
  }
  self->connection_.reset(connection);
  return self;
}

NatsConnection::~NatsConnection() {
  Close();
  connection_.reset();
  LiveConnections& live = Live();
  std::lock_guard lock(live.mutex);
  live.by_id.erase(id_);
}

void NatsConnection::Close() {
  if (connection_) natsConnection_Close(connection_.get());
  Set(NatsStatus::kClosed);
}

NatsStatus NatsConnection::Status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::uint64_t NatsConnection::Reconnects() const {
  std::lock_guard lock(mutex_);
  return reconnects_;
}

bool NatsConnection::WaitUntil(std::unique_lock<std::mutex>& lock, const std::function<bool()>& done,
                               std::chrono::steady_clock::time_point deadline) const {
  if (deadline == std::chrono::steady_clock::time_point::max()) {
    changed_.wait(lock, done);
    return true;
  }
  return changed_.wait_until(lock, deadline, done);
}

void NatsConnection::Set(NatsStatus status) {
  {
    std::lock_guard lock(mutex_);
    if (status_ == NatsStatus::kClosed) return;  // closed is final
    if (status == NatsStatus::kReconnecting && status_ == NatsStatus::kConnected) ++disconnects_;
    if (status == NatsStatus::kConnected && status_ == NatsStatus::kReconnecting) ++reconnects_;
    status_ = status;
  }
  changed_.notify_all();
}

void NatsConnection::OnDisconnected(natsConnection* /*connection*/, void* closure) {
  WithLive(closure, [](NatsConnection& self) { self.Set(NatsStatus::kReconnecting); });
}

void NatsConnection::OnReconnected(natsConnection* /*connection*/, void* closure) {
  WithLive(closure, [](NatsConnection& self) { self.Set(NatsStatus::kConnected); });
}

void NatsConnection::OnClosed(natsConnection* /*connection*/, void* closure) {
  WithLive(closure, [](NatsConnection& self) { self.Set(NatsStatus::kClosed); });
}

void NatsConnection::OnError(natsConnection* /*connection*/, natsSubscription* /*subscription*/, natsStatus /*error*/,
                             void* closure) {
  WithLive(closure, [](NatsConnection& self) { self.async_errors_.fetch_add(1, std::memory_order_relaxed); });
}

}  // namespace wasmq::backends::nats_detail
