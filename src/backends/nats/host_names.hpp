#pragma once
// The host layer's and the WIT mirror's names, as the NATS backend's sources use them.

#include <wasmq/host/host.hpp>
#include <wasmq/host/reply_inbox.hpp>

namespace wasmq::backends {

namespace types = ::wasi::messaging::types;
using host::Backend;
using host::NewReplyToken;
using host::OutcomePolicy;
using host::Settlement;
using host::Subscription;

}  // namespace wasmq::backends
