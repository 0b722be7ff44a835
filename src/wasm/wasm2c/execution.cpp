#include "execution.hpp"

#include <cstddef>
#include <cstring>
#include <utility>

namespace wasmq::wasm::wasm2c {

Execution& Execution::Get() {
  static Execution execution;
  return execution;
}

void Execution::WaitAndTake() {
  std::unique_lock lock(mutex_);
  sleepers_.fetch_add(1, std::memory_order_seq_cst);  // seq_cst: see Give
  // Take's exchange, seq_cst here: it must come after the count in the order Give's store and
  // load are in, so that a giver that missed the count cleared the flag before this reads it.
  free_.wait(lock, [this] { return !held_.exchange(true, std::memory_order_seq_cst); });
  sleepers_.fetch_sub(1, std::memory_order_relaxed);  // a giver that still counts it only wakes one more
}

void Execution::WakeOne() {
  // A sleeper holds the mutex from counting itself until it waits: taking it here means the
  // sleeper is either waiting (and the notify reaches it) or has found the flag clear.
  {
    const std::lock_guard lock(mutex_);
  }
  free_.notify_one();
}

unsigned Execution::ReleaseAll() {
  const unsigned depth = std::exchange(depth_on_this_thread_, 0U);
  if (depth > 0) Give();
  return depth;
}

void Execution::Reacquire(unsigned depth) {
  if (depth > 0) Take();
  depth_on_this_thread_ = depth;
}

namespace {
#if defined(__GLIBC__)
// glibc's setjmp (which saves no signal mask) writes the registers and the "mask saved" flag,
// and longjmp then reads only those: the 128-byte mask after them need not be saved.
static_assert(!WASM_RT_MEMCHECK_SIGNAL_HANDLER, "the runtime would use sigsetjmp, which saves the mask");
constexpr std::size_t kLiveJumpBytes = offsetof(__jmp_buf_tag, __saved_mask);
#else
constexpr std::size_t kLiveJumpBytes = sizeof(jmp_buf);
#endif
}  // namespace

void TrapState::Save() {
  std::memcpy(&jump, &wasm_rt_jmp_buf, kLiveJumpBytes);
  unwind = wasm_rt_get_unwind_target();
  depth = wasm_rt_call_stack_depth;
  saved_depth = wasm_rt_saved_call_stack_depth;
}

void TrapState::Restore() const {
  std::memcpy(&wasm_rt_jmp_buf, &jump, kLiveJumpBytes);
  wasm_rt_set_unwind_target(unwind);
  wasm_rt_call_stack_depth = depth;
  wasm_rt_saved_call_stack_depth = saved_depth;
}

}  // namespace wasmq::wasm::wasm2c
