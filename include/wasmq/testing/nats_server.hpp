#pragma once
/// A `nats-server` child process for tests: on a free loopback port, with JetStream and a
/// temporary store directory, stopped (and the directory removed) when destroyed. It can be
/// stopped and started again on the same port and store, to test connection loss.
///
/// ```
/// auto server = wasmq::testkit::NatsServer::start();
/// ASSERT_TRUE(server) << server.error();
/// auto backend = wasmq::backends::MakeNatsBackend({.url = (*server)->url()});
/// ```

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

WASMQ_PUBLIC_BEGIN

namespace wasmq::testkit {

struct NatsServerOptions {
  /// The server binary; empty: $WASMQ_NATS_SERVER, else `nats-server` on PATH, /usr/sbin, /usr/local/bin.
  std::string executable{};
  bool jetstream = true;
  /// How long start() waits for the server to say it is ready.
  std::chrono::milliseconds ready_timeout = std::chrono::seconds(10);
};

class NatsServer {
 public:
  /// Starts a server. Errors: a sentence saying why (no binary, it exited, it was not ready in time),
  /// with what the server printed.
  [[nodiscard]] static std::expected<std::unique_ptr<NatsServer>, std::string> start(NatsServerOptions options = {});
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  /// "nats://127.0.0.1:<port>".
  [[nodiscard]] std::string url() const;
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] bool running() const noexcept { return pid_ > 0; }

  /// Stops the server (SIGTERM, then SIGKILL after 5 s); the port and the store stay for restart().
  void stop();
  /// Starts it again on the same port and store. Errors as start().
  [[nodiscard]] std::expected<void, std::string> restart();
  /// What the server printed so far (its log), for failure messages.
  [[nodiscard]] std::string log() const;

 private:
  NatsServer() = default;
  [[nodiscard]] std::expected<void, std::string> launch();

  /// Reads what the server prints until it exits, appending to log_.
  void drain(int fd);

  NatsServerOptions options_;
  std::string store_dir_;
  std::uint16_t port_ = 0;
  int pid_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable printed_;  // notified on every read, and when the output ends
  std::string log_;                  // guarded by mutex_
  bool output_ended_ = true;         // guarded by mutex_
};

/// The nats-server binary NatsServer would run, or empty when there is none.
std::string find_nats_server(const NatsServerOptions& options = {});

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
