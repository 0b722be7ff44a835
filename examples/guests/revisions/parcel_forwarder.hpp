#pragma once
// ParcelForwarder: a guest written against revision R3 (a message that carries its own topic).

#include <wasi/messaging/r3/incoming_handler.hpp>

#include <expected>

namespace shop::revisions {

/// Forwards each parcel message to `parcels.tracked`, marked `forwarded-by: parcel-forwarder`.
class ParcelForwarder final : public wasi::messaging::r3::incoming_handler::Guest {
 public:
  std::expected<void, wasi::messaging::r3::types::Error> Handle(wasi::messaging::r3::types::Message&& ms) override;
};

}  // namespace shop::revisions
