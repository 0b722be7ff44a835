#include <wasmq/host/r2_session.hpp>
#include <wasmq/host/reply_inbox.hpp>
#include <wasmq/name.hpp>

#include "revision_errors.hpp"
#include "unfit_delivery.hpp"

#include <algorithm>

namespace wasmq::host::r2 {

namespace {

thread_local Session* current_session = nullptr;

/// A delivered message as R2's record shows it, with `id` under kDeliveryIdKey.
r2types::Message ToRecord(const types::Message& delivered, const std::string& id) {
  r2types::Message record;
  record.topic = std::string(delivered.TopicView());
  record.content_type = delivered.ContentType();
  if (auto route = Backend::ReplyRoute(delivered)) record.reply_to = std::move(route->first);
  record.data = delivered.Data();
  auto metadata = delivered.Metadata().value_or(types::Metadata{});
  // A peer's own entry under the key would let it choose an id: the host's replaces it.
  std::erase_if(metadata, [](const auto& entry) { return std::get<0>(entry) == r2types::kDeliveryIdKey; });
  metadata.emplace_back(std::string(r2types::kDeliveryIdKey), id);
  record.metadata = std::move(metadata);
  return record;
}

/// The delivery id a record carries, or null.
const std::string* DeliveryIdOf(const r2types::Message& message) {
  if (!message.metadata) return nullptr;
  for (const auto& [key, value] : *message.metadata) {
    if (key == r2types::kDeliveryIdKey) return &value;
  }
  return nullptr;
}

}  // namespace

std::string_view ToString(AbandonAction action) noexcept {
  switch (action) {
    case AbandonAction::kRetry: return "retry";
    case AbandonAction::kDeadLetter: return "dead-letter";
    case AbandonAction::kDelete: return "delete";
  }
  return "unknown";
}

Session::Session(std::shared_ptr<const GuestContext> context,
                 std::shared_ptr<::wasi::messaging::r2::guest::Guest> guest, SessionOptions options)
    : context_(std::move(context)), guest_(std::move(guest)), options_(std::move(options)) {}

Session::~Session() {
  std::map<std::string, std::unique_ptr<HeldDelivery>, std::less<>> held;
  std::vector<Channel> channels;
  {
    std::lock_guard lock(mutex_);
    held.swap(held_);
    channels.swap(channels_);
  }
  held.clear();  // released first, while their subscriptions still stand
  channels.clear();
}

std::vector<std::string> Session::Channels() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  names.reserve(channels_.size());
  for (const auto& channel : channels_) names.push_back(channel.name);
  return names;
}

std::vector<std::tuple<std::string, std::string>> Session::Extensions() const {
  std::lock_guard lock(mutex_);
  return extensions_;
}

std::size_t Session::Held() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

Settlement Session::Abandoned() const {
  switch (options_.abandon) {
    case AbandonAction::kRetry: return {Settlement::Action::kRelease, options_.retry_delay, {}};
    case AbandonAction::kDeadLetter:
      return {Settlement::Action::kReject, {}, "abandoned by guest '" + context_->identity + "'"};
    case AbandonAction::kDelete: return {};
  }
  return {};
}

std::expected<void, r2types::Error> Session::Configure(const r2types::GuestConfiguration& configuration) {
  if (!context_ || !context_->registry)
    return std::unexpected(r2types::Error::Connection("the session has no guest context"));
  if (configuration.channels.size() > options_.max_channels) {
    return std::unexpected(r2types::Error::Other("a configuration of " + std::to_string(configuration.channels.size()) +
                                                 " channels; at most " + std::to_string(options_.max_channels) +
                                                 " are allowed"));
  }
  const std::size_t extensions = configuration.extensions ? configuration.extensions->size() : 0;
  if (extensions > context_->limits.max_metadata_entries) {
    return std::unexpected(
        r2types::Error::Other("a configuration with " + std::to_string(extensions) + " extensions; at most " +
                              std::to_string(context_->limits.max_metadata_entries) + " are allowed"));
  }
  std::size_t extension_bytes = 0;
  if (configuration.extensions) {
    for (const auto& [key, value] : *configuration.extensions) extension_bytes += key.size() + value.size();
  }
  if (extension_bytes > context_->limits.max_message_bytes) {
    return std::unexpected(r2types::Error::Other("a configuration with " + std::to_string(extension_bytes) +
                                                 " bytes of extensions; at most " +
                                                 std::to_string(context_->limits.max_message_bytes) + " are allowed"));
  }
  std::vector<std::string> wanted;
  for (const auto& channel : configuration.channels) {
    const bool queue = std::ranges::find(options_.queue_channels, channel) != options_.queue_channels.end();
    auto valid = queue ? wasmq::validate_name(channel) : wasmq::validate_pattern(channel);
    if (!valid) return std::unexpected(r2types::Error::Other("invalid channel: " + valid.error().message()));
    // Checked before anything changes: a refused channel leaves the configuration as it was.
    if (IsUnderInbox(channel) || !context_->permissions.MaySubscribe(channel)) {
      return std::unexpected(r2types::Error::Unauthorized());
    }
    if (std::ranges::find(wanted, channel) == wanted.end()) wanted.push_back(channel);
  }

  auto backend = context_->registry->Resolve(options_.connection);
  if (!backend) return std::unexpected(ToR2Error(backend.error()));
  std::vector<Channel> next;
  std::vector<Channel> ended;
  {
    std::lock_guard lock(mutex_);
    for (const auto& name : wanted) {
      auto kept = std::ranges::find(channels_, name, &Channel::name);
      if (kept != channels_.end()) {
        next.push_back({kept->name, std::move(kept->subscription)});
        continue;
      }
      const bool queue = std::ranges::find(options_.queue_channels, name) != options_.queue_channels.end();
      Subscription subscription{.topic = name,
                                .group = queue ? std::string{} : options_.group,
                                .queue = queue,
                                .outcome = {},
                                .consumer = options_.consumer};
      auto made = (*backend)->SubscribePull(subscription);
      if (!made) {
        // Undo: what was kept goes back, what was new ends.
        for (auto& channel : next) {
          auto slot = std::ranges::find(channels_, channel.name, &Channel::name);
          if (slot != channels_.end()) slot->subscription = std::move(channel.subscription);
        }
        return std::unexpected(ToR2Error(made.error()));
      }
      next.push_back({name, std::move(*made)});
    }
    for (auto& channel : channels_) {
      if (channel.subscription) ended.push_back(std::move(channel));
    }
    channels_ = std::move(next);
    extensions_ = configuration.extensions.value_or(std::vector<std::tuple<std::string, std::string>>{});
    next_channel_ = 0;
  }
  ended.clear();  // outside the lock: ending a subscription may wait for its backend
  return {};
}

std::expected<void, r2types::Error> Session::Settle(const r2types::Message& message, bool complete) {
  const std::string* id = DeliveryIdOf(message);
  if (id == nullptr) {
    return std::unexpected(
        r2types::Error::Other("the message carries no delivery id (" + std::string(r2types::kDeliveryIdKey) +
                              "): only a message delivered to this guest can be completed or abandoned"));
  }
  std::unique_ptr<HeldDelivery> delivery;
  {
    std::lock_guard lock(mutex_);
    auto found = held_.find(*id);
    if (found == held_.end()) {
      return std::unexpected(r2types::Error::Other("delivery '" + *id +
                                                   "' is not held by this guest: it was not delivered to it, or it "
                                                   "was completed or abandoned already"));
    }
    delivery = std::move(found->second);
    held_.erase(found);
  }
  delivery->Settle(complete ? Settlement{} : Abandoned());
  return {};
}

std::expected<std::size_t, r2types::Error> Session::DeliverWaiting(std::chrono::milliseconds wait) {
  std::lock_guard one_batch(delivering_);
  std::vector<HeldMessage> taken;
  std::optional<types::Error> failure;
  {
    std::lock_guard lock(mutex_);
    const std::size_t count = channels_.size();
    const auto take = [&](std::size_t index, std::chrono::milliseconds within) {
      auto more = channels_[index % count].subscription->Take(options_.max_batch - taken.size(), within);
      if (!more) {
        failure = more.error();
        return;
      }
      for (auto& held : *more) taken.push_back(std::move(held));
    };
    const auto take_round = [&] {
      for (std::size_t i = 0; i < count && taken.size() < options_.max_batch; ++i) take(next_channel_ + i, {});
    };
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (count > 0) {
      take_round();
      const auto now = std::chrono::steady_clock::now();
      if (!taken.empty() || now >= deadline) break;
      // Nothing is waiting: wait on one channel at a time, in turns, for a slice of what is left.
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
      take(next_channel_, count == 1 ? left : std::min(left, std::chrono::milliseconds(10)));
      next_channel_ = (next_channel_ + 1) % count;
      if (!taken.empty()) {
        take_round();
        break;
      }
    }
    if (count > 0) next_channel_ = (next_channel_ + 1) % count;  // the next batch starts elsewhere
  }
  if (taken.empty()) {
    if (failure) return std::unexpected(ToR2Error(*failure));
    return 0;
  }

  std::vector<r2types::Message> batch;
  std::vector<std::pair<std::string, std::unique_ptr<HeldDelivery>>> handed;
  batch.reserve(taken.size());
  handed.reserve(taken.size());
  for (auto& held : taken) {
    if (auto unfit = UnfitDelivery(held.message)) {
      held.delivery->Settle(*unfit);
      continue;
    }
    std::string id = NewReplyToken();
    batch.push_back(ToRecord(held.message, id));
    handed.emplace_back(std::move(id), std::move(held.delivery));
  }
  std::vector<std::string> ids;
  ids.reserve(handed.size());
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, delivery] : handed) {
      ids.push_back(id);
      held_.emplace(std::move(id), std::move(delivery));
    }
  }
  if (batch.empty()) return 0;

  std::expected<void, r2types::Error> result;
  bool threw = false;
  {
    ScopedSession current(*this);
    try {
      result = guest_->Handler(batch);
    } catch (...) {
      threw = true;
    }
  }
  std::vector<std::unique_ptr<HeldDelivery>> unsettled;
  {
    std::lock_guard lock(mutex_);
    for (const auto& id : ids) {
      if (auto found = held_.find(id); found != held_.end()) {
        unsettled.push_back(std::move(found->second));
        held_.erase(found);
      }
    }
  }
  const Settlement rest = (!threw && result) ? Settlement{} : Abandoned();
  for (auto& delivery : unsettled) delivery->Settle(rest);
  if (threw)
    return std::unexpected(r2types::Error::Other("the guest's handler threw; its unsettled messages were abandoned"));
  return batch.size();
}

ScopedSession::ScopedSession(Session& session) : guest_(session.Context()), previous_(current_session) {
  current_session = &session;
}

ScopedSession::~ScopedSession() { current_session = previous_; }

Session* CurrentSession() noexcept { return current_session; }

}  // namespace wasmq::host::r2
