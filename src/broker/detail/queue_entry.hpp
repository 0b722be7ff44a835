#pragma once

#include <wasmq/message.hpp>

#include <cstdint>
#include <memory>

namespace wasmq::detail {

/// A message as one queue holds it: the shared immutable message plus this queue's state of it.
struct Entry {
  std::shared_ptr<const Message> message;
  std::uint32_t delivery_count = 0;
};

}  // namespace wasmq::detail
