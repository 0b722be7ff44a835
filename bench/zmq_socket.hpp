#pragma once
// A minimal RAII wrapper over libzmq's C API, for the ZeroMQ inproc baselines.

#include <zmq.h>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace wasmq::bench {

class ZmqContext {
 public:
  ZmqContext() : context_(zmq_ctx_new()) {}
  ~ZmqContext() { zmq_ctx_term(context_); }
  ZmqContext(const ZmqContext&) = delete;
  ZmqContext& operator=(const ZmqContext&) = delete;
  void* get() const noexcept { return context_; }

 private:
  void* context_;
};

class ZmqSocket {
 public:
  ZmqSocket(const ZmqContext& context, int type) : socket_(zmq_socket(context.get(), type)) {
    const int unlimited = 0;  // no high-water mark: PUB must not drop, PUSH must not block early
    zmq_setsockopt(socket_, ZMQ_SNDHWM, &unlimited, sizeof unlimited);
    zmq_setsockopt(socket_, ZMQ_RCVHWM, &unlimited, sizeof unlimited);
    const int linger = 0;
    zmq_setsockopt(socket_, ZMQ_LINGER, &linger, sizeof linger);
  }
  ~ZmqSocket() { zmq_close(socket_); }
  ZmqSocket(const ZmqSocket&) = delete;
  ZmqSocket& operator=(const ZmqSocket&) = delete;

  void bind(const std::string& endpoint) { check(zmq_bind(socket_, endpoint.c_str()), "bind"); }
  void connect(const std::string& endpoint) { check(zmq_connect(socket_, endpoint.c_str()), "connect"); }
  void subscribe_all() { check(zmq_setsockopt(socket_, ZMQ_SUBSCRIBE, "", 0), "subscribe"); }
  void send(const void* data, std::size_t size) { check(zmq_send(socket_, data, size, 0), "send"); }
  /// Receives one message; returns its size.
  std::size_t receive() {
    zmq_msg_t message;
    zmq_msg_init(&message);
    check(zmq_msg_recv(&message, socket_, 0), "receive");
    const std::size_t size = zmq_msg_size(&message);
    zmq_msg_close(&message);
    return size;
  }
  void* get() const noexcept { return socket_; }

 private:
  static void check(int result, const char* what) {
    if (result < 0) throw std::runtime_error(std::string("zmq ") + what + ": " + zmq_strerror(zmq_errno()));
  }
  void* socket_;
};

}  // namespace wasmq::bench
