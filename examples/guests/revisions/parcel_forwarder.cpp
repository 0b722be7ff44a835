#include "parcel_forwarder.hpp"

#include <wasi/messaging/r3/producer.hpp>

namespace shop::revisions {

namespace r3 = wasi::messaging::r3;

std::expected<void, r3::types::Error> ParcelForwarder::Handle(r3::types::Message&& ms) {
  auto client = r3::types::Client::Connect("inproc");
  if (!client) return std::unexpected(client.error());
  ms.SetTopic("parcels.tracked");
  ms.AddMetadata("forwarded-by", "parcel-forwarder");
  return r3::producer::Send(std::move(*client), std::move(ms));
}

}  // namespace shop::revisions
