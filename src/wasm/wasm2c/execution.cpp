#include "execution.hpp"

#include <cstring>
#include <utility>

namespace wasmq::wasm::wasm2c {

namespace {
// How deep this thread is inside wasm2c code; only this thread reads or writes it.
thread_local unsigned depth_on_this_thread = 0;
}  // namespace

Execution& Execution::Get() {
  static Execution execution;
  return execution;
}

void Execution::Take() {
  std::unique_lock lock(mutex_);
  free_.wait(lock, [this] { return !held_; });
  held_ = true;
}

void Execution::Give() {
  {
    std::lock_guard lock(mutex_);
    held_ = false;
  }
  free_.notify_one();
}

void Execution::Enter() {
  if (depth_on_this_thread++ == 0) Take();
}

void Execution::Exit() {
  if (--depth_on_this_thread == 0) Give();
}

unsigned Execution::ReleaseAll() {
  const unsigned depth = std::exchange(depth_on_this_thread, 0U);
  if (depth > 0) Give();
  return depth;
}

void Execution::Reacquire(unsigned depth) {
  if (depth > 0) Take();
  depth_on_this_thread = depth;
}

unsigned Execution::DepthOnThisThread() noexcept { return depth_on_this_thread; }

void TrapState::Save() {
  std::memcpy(&jump, &wasm_rt_jmp_buf, sizeof(jmp_buf));
  unwind = wasm_rt_get_unwind_target();
  depth = wasm_rt_call_stack_depth;
  saved_depth = wasm_rt_saved_call_stack_depth;
}

void TrapState::Restore() const {
  std::memcpy(&wasm_rt_jmp_buf, &jump, sizeof(jmp_buf));
  wasm_rt_set_unwind_target(unwind);
  wasm_rt_call_stack_depth = depth;
  wasm_rt_saved_call_stack_depth = saved_depth;
}

}  // namespace wasmq::wasm::wasm2c
