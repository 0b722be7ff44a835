// Two guest instances on one host, driven by random calls on random handles: their own, the
// other's, dropped ones and made-up numbers. A model of what each instance was given says what
// every call must do; a handle must never reach a resource its instance was not given, and no
// limit may be passed.

#include "fuzz_input.hpp"

#include <wasmq/host/guest_instance.hpp>
#include <wasmq/utf8.hpp>
#include <wasmq/wasmq.hpp>

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <variant>

namespace {

using wasmq::host::GuestInstance;
using wasmq::host::Handle;

void Require(bool condition) {
  if (!condition) std::abort();
}

constexpr wasmq::host::GuestLimits limits{
    .max_resources = 12, .max_message_bytes = 48, .max_metadata_entries = 3, .max_replies = 4};

struct ModelMessage {
  std::vector<std::uint8_t> data;
};
struct ModelOptions {};
struct ModelClient {};
using ModelResource = std::variant<ModelMessage, ModelOptions, ModelClient>;

/// What one instance was given, by handle.
struct Guest {
  std::unique_ptr<GuestInstance> instance;
  std::map<Handle, ModelResource> live;
  std::set<Handle> ever;  // every handle this instance ever returned

  template <class R>
  [[nodiscard]] bool holds(Handle handle) const {
    auto found = live.find(handle);
    return found != live.end() && std::holds_alternative<R>(found->second);
  }
  void given(Handle handle, ModelResource resource) {
    Require(handle != 0);
    Require(!live.contains(handle));  // never the handle of something still live
    Require(!ever.contains(handle));  // and never a handle handed out before
    ever.insert(handle);
    live.emplace(handle, std::move(resource));
  }
};

struct Host {
  wasmq::ManualRuntime runtime;
  wasmq::Broker broker{runtime};
  std::shared_ptr<wasmq::host::ConnectionRegistry> registry = std::make_shared<wasmq::host::ConnectionRegistry>();
  Host() { registry->AddBroker("main", broker); }
};

Handle Pick(wasmq::fuzz::FuzzInput& input, const Guest& self, const Guest& other) {
  const auto nth = [&](const auto& container) {
    auto it = container.begin();
    std::advance(it, input.byte() % container.size());
    return it;
  };
  switch (input.byte() % 4) {
    case 0:
      if (!self.live.empty()) return nth(self.live)->first;
      break;
    case 1:
      if (!other.live.empty()) return nth(other.live)->first;
      break;
    case 2:
      if (!self.ever.empty()) return *nth(self.ever);
      break;
    default: break;
  }
  return input.u32();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Host host;  // one broker for every run: it only sees publishes to topics nobody receives
  wasmq::fuzz::FuzzInput input(data, size);
  Guest guests[2];
  for (int i = 0; i < 2; ++i) {
    // One table of each kind: a shared one, and one entered a call at a time (as a WasmGuest's).
    guests[i].instance = std::make_unique<GuestInstance>(
        std::make_shared<wasmq::host::GuestContext>(
            wasmq::host::GuestContext{"guest-" + std::to_string(i), {}, host.registry, limits}),
        i == 0 ? GuestInstance::Sharing::kShared : GuestInstance::Sharing::kOneCallAtATime);
  }
  while (!input.empty()) {
    const std::uint8_t op = input.byte();
    Guest& self = guests[op & 1];
    Guest& other = guests[(op & 1) ^ 1];
    GuestInstance& instance = *self.instance;
    const bool full = self.live.size() >= limits.max_resources;
    switch ((op >> 1) % 12) {
      case 0: {
        const auto bytes = input.data(64);
        auto made = instance.MessageNew(bytes);
        Require(made.has_value() == (!full && bytes.size() <= limits.max_message_bytes));
        if (made) self.given(*made, ModelMessage{bytes});
        break;
      }
      case 1: {
        const Handle handle = Pick(input, self, other);
        auto read = instance.MessageData(handle);
        Require(read.has_value() == self.holds<ModelMessage>(handle));
        if (read) Require(*read == std::get<ModelMessage>(self.live.at(handle)).data);
        break;
      }
      case 2: {
        const Handle handle = Pick(input, self, other);
        const auto bytes = input.data(64);
        auto set = instance.MessageSetData(handle, bytes);
        if (!self.holds<ModelMessage>(handle)) {
          Require(!set);
        } else if (set) {
          std::get<ModelMessage>(self.live.at(handle)).data = bytes;
        } else {
          Require(set.error().message.find("max_message_bytes") != std::string::npos);  // only a limit refuses it
        }
        break;
      }
      case 3: {
        const Handle handle = Pick(input, self, other);
        const std::string key = input.text(6);
        const std::string value = input.text(12);
        auto added = instance.MessageAddMetadata(handle, key, value);
        if (!self.holds<ModelMessage>(handle)) Require(!added);
        if (added) {
          auto metadata = instance.MessageMetadata(handle);
          Require(metadata && (!*metadata || (*metadata)->size() <= limits.max_metadata_entries));
        }
        break;
      }
      case 4: {
        const Handle handle = Pick(input, self, other);
        const bool held = self.holds<ModelMessage>(handle);
        Require(instance.MessageDrop(handle).has_value() == held);
        if (held) self.live.erase(handle);
        break;
      }
      case 5: {
        auto made = instance.RequestOptionsNew();
        Require(made.has_value() == !full);
        if (made) self.given(*made, ModelOptions{});
        break;
      }
      case 6: {
        const Handle handle = Pick(input, self, other);
        Require(instance.RequestOptionsSetTimeoutMs(handle, input.u32()).has_value() ==
                self.holds<ModelOptions>(handle));
        break;
      }
      case 7: {
        const Handle handle = Pick(input, self, other);
        const bool held = self.holds<ModelOptions>(handle);
        Require(instance.RequestOptionsDrop(handle).has_value() == held);
        if (held) self.live.erase(handle);
        break;
      }
      case 8: {
        const bool known = input.byte() % 8 != 0;
        auto made = instance.ClientConnect(known ? "inproc" : "nowhere");
        if (!known) {
          Require(made && !*made);  // an unknown name is a WIT error, never a trap
        } else {
          Require(made.has_value() == !full);
          if (made) self.given(**made, ModelClient{});
        }
        break;
      }
      case 9: {
        const Handle handle = Pick(input, self, other);
        const bool held = self.holds<ModelClient>(handle);
        Require(instance.ClientDrop(handle).has_value() == held);
        if (held) self.live.erase(handle);
        break;
      }
      case 10: {  // send: borrows the client, then takes the message whatever the result
        const Handle client = Pick(input, self, other);
        const Handle message = Pick(input, self, other);
        const std::string topic = input.byte() % 4 == 0 ? input.text(8) : "fuzz.topic";
        auto sent = instance.ProducerSend(client, topic, message);
        const bool utf8 = wasmq::is_valid_utf8(topic);
        const bool callable = utf8 && self.holds<ModelClient>(client) && self.holds<ModelMessage>(message);
        Require(sent.has_value() == callable);
        if (utf8 && self.holds<ModelClient>(client) && self.holds<ModelMessage>(message)) self.live.erase(message);
        break;
      }
      default: {  // a request nobody answers: the message is borrowed, the options taken
        const Handle client = Pick(input, self, other);
        const Handle message = Pick(input, self, other);
        const bool with_options = input.byte() % 2 == 0;
        const Handle options = with_options ? Pick(input, self, other) : 0;
        auto asked = instance.RequestReplyRequest(client, "fuzz.nobody", message,
                                                  with_options ? std::optional<Handle>(options) : std::nullopt);
        const bool callable = self.holds<ModelClient>(client) && self.holds<ModelMessage>(message) &&
                              (!with_options || self.holds<ModelOptions>(options));
        Require(asked.has_value() == callable);
        if (callable) {
          Require(!*asked);  // "no responders", at once
          if (with_options) self.live.erase(options);
        }
      }
    }
    Require(instance.Size() == self.live.size());
    Require(self.live.size() <= limits.max_resources);
  }
  host.runtime.run_until_idle();
  return 0;
}
