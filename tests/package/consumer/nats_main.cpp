// Links wasmq::nats from the package and checks that a server nobody runs is a `connection` error.
#include <wasmq/backends/nats.hpp>

#include <cstdio>

int main() {
  namespace host = wasmq::host;
  auto backend = wasmq::backends::MakeNatsBackend(
      {.url = "nats://127.0.0.1:1", .connect_timeout = std::chrono::milliseconds(200)});
  if (backend || backend.error().GetKind() != wasi::messaging::types::Error::Kind::kConnection) {
    std::puts("wasmq nats consumer: expected a connection error");
    return 1;
  }
  std::puts("wasmq nats consumer: ok");
  return 0;
}
