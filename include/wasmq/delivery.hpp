#pragma once
/// One delivery of a message to a consumer: a handle that settles the message exactly once.

#include <wasmq/detail/visibility.hpp>
#include <wasmq/error.hpp>
#include <wasmq/shared_message.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

WASMQ_PUBLIC_BEGIN

namespace wasmq {

namespace detail {
class ConsumerCore;
}

/// A delivered message and the lock on it. Move-only.
///
/// Settle it once with accept(), release() or reject(). A delivery dropped unsettled releases
/// its message (like a loan returned at scope exit). Settling after the lock expired, after the
/// consumer closed, or a second time returns an error and changes nothing.
/// Not thread-safe for concurrent use of one handle; different handles are independent.
class Delivery {
 public:
  // User-provided, not `= default`: value-initialising a defaulted one (as `Result<Delivery>`'s
  // default constructor does on every receive) zero-fills the whole result first, error included.
  Delivery() noexcept {}  // NOLINT(modernize-use-equals-default): see above
  Delivery(Delivery&& other) noexcept;
  Delivery& operator=(Delivery&& other) noexcept;
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;
  ~Delivery();

  /// The message. Valid while this handle lives, settled or not; copy the handle to keep it longer.
  [[nodiscard]] const SharedMessage& message() const noexcept { return message_; }
  /// 1 on the first delivery, then one more on each redelivery.
  [[nodiscard]] std::uint32_t delivery_count() const noexcept { return delivery_count_; }
  /// The queue or subscription this delivery came from.
  [[nodiscard]] std::string_view queue() const noexcept;
  /// False for a default-constructed or moved-from handle.
  [[nodiscard]] bool valid() const noexcept { return core_ != nullptr; }
  /// True once this handle settled its message (successfully or not).
  [[nodiscard]] bool settled() const noexcept { return settled_; }

  /// Done with the message: it leaves the queue. Errors: already_settled, lock_lost, invalid_handle.
  [[nodiscard]] Result<void> accept();
  /// Gives the message back to the queue, available again after `delay` (0: at once). Counts as
  /// a delivery toward max_deliveries. Errors: already_settled, lock_lost, invalid_handle.
  [[nodiscard]] Result<void> release(Duration delay = Duration::zero());
  /// Dead-letters the message with `reason`. Errors: already_settled, lock_lost, invalid_handle.
  [[nodiscard]] Result<void> reject(std::string_view reason = {});
  /// Renews the lock for another lock_duration from now. Errors: already_settled, lock_lost,
  /// invalid_handle.
  [[nodiscard]] Result<void> extend_lock();

 private:
  friend class detail::ConsumerCore;  // makes each handle in place (ConsumerCore::install)
  [[nodiscard]] Result<void> check_settleable() const;
  /// For a handle that borrows (see ConsumerCore::install): takes references of its own.
  void own_what_it_borrows() noexcept {
    if (borrows_core_ || borrows_message_) take_what_it_borrows();
  }
  void take_what_it_borrows() noexcept;
  /// *this, owning what it borrowed: where a handle moves from.
  Delivery& owning() noexcept {
    own_what_it_borrows();
    return *this;
  }
  /// Releases the message of an unsettled handle that is going away.
  void drop() noexcept;
  /// This handle if it borrows its message (a settle then gives it a reference), else null.
  [[nodiscard]] Delivery* borrower() noexcept;

  std::shared_ptr<detail::ConsumerCore> core_;
  SharedMessage message_;
  std::uint64_t generation_ = 0;
  std::uint32_t slot_ = 0;
  std::uint32_t delivery_count_ = 0;
  bool settled_ = false;
  bool borrows_core_ = false;     // core_ owns nothing (lent by the dispatch run)
  bool borrows_message_ = false;  // message_ owns nothing (the slot holds the reference)
};

}  // namespace wasmq

WASMQ_PUBLIC_END
