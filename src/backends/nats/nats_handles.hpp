#pragma once
/// Owning pointers for the NATS C client's objects, and its status codes as facade errors.

#include <wasi/messaging/types.hpp>

#include <nats/nats.h>

#include <memory>
#include <string>
#include <string_view>
#include "host_names.hpp"

namespace wasmq::backends::nats_detail {

struct NatsDeleter {
  void operator()(natsMsg* msg) const noexcept { natsMsg_Destroy(msg); }
  void operator()(natsOptions* options) const noexcept { natsOptions_Destroy(options); }
  void operator()(natsConnection* connection) const noexcept { natsConnection_Destroy(connection); }
  void operator()(natsSubscription* subscription) const noexcept { natsSubscription_Destroy(subscription); }
  void operator()(jsCtx* context) const noexcept { jsCtx_Destroy(context); }
  void operator()(jsStreamInfo* info) const noexcept { jsStreamInfo_Destroy(info); }
  void operator()(jsPubAck* ack) const noexcept { jsPubAck_Destroy(ack); }
  void operator()(jsMsgMetaData* meta) const noexcept { jsMsgMetaData_Destroy(meta); }
};

template <class T>
using NatsPtr = std::unique_ptr<T, NatsDeleter>;

/// `status` as a facade error: lost or closed connections and a full reconnect buffer are
/// `connection`, a timeout is `timeout`, the rest `other`. The text says what was being done,
/// the client's text for the status and its last error detail.
types::Error ErrorOf(natsStatus status, std::string_view doing);

/// The same, but a timeout is `connection`: for waits on the server's own acknowledgement, where
/// silence means the server is unreachable, not that a peer was slow.
types::Error ConnectionErrorOf(natsStatus status, std::string_view doing);

}  // namespace wasmq::backends::nats_detail
