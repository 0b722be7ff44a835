#pragma once
/// The embedded backend: the facade on an in-process wasmq::Broker (what
/// host::ConnectionRegistry::AddBroker registers). A peer of the NATS backend (nats.hpp).

#include <wasmq/detail/visibility.hpp>
#include <wasmq/host/host.hpp>

#include <memory>

WASMQ_PUBLIC_BEGIN

namespace wasmq {
class Broker;
}

namespace wasmq::backends {

/// A backend on an embedded wasmq::Broker, which must outlive it.
std::shared_ptr<host::Backend> MakeInprocBackend(wasmq::Broker& broker);

}  // namespace wasmq::backends

WASMQ_PUBLIC_END
