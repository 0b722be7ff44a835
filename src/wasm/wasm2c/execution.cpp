#include "execution.hpp"

#include <cstring>

namespace wasmq::wasm::wasm2c {

Execution& Execution::Get() {
  static Execution execution;
  return execution;
}

void Execution::Enter() {
  std::unique_lock lock(mutex_);
  const auto self = std::this_thread::get_id();
  free_.wait(lock, [&] { return depth_ == 0 || owner_ == self; });
  owner_ = self;
  ++depth_;
}

void Execution::Exit() {
  std::lock_guard lock(mutex_);
  if (--depth_ == 0) {
    owner_ = {};
    free_.notify_one();
  }
}

unsigned Execution::ReleaseAll() {
  std::lock_guard lock(mutex_);
  const unsigned depth = depth_;
  depth_ = 0;
  owner_ = {};
  free_.notify_one();
  return depth;
}

void Execution::Reacquire(unsigned depth) {
  std::unique_lock lock(mutex_);
  free_.wait(lock, [&] { return depth_ == 0; });
  owner_ = std::this_thread::get_id();
  depth_ = depth;
}

unsigned Execution::DepthOnThisThread() {
  std::lock_guard lock(mutex_);
  return owner_ == std::this_thread::get_id() ? depth_ : 0;
}

TrapState TrapState::Save() {
  TrapState state{};
  std::memcpy(&state.jump, &wasm_rt_jmp_buf, sizeof(jmp_buf));
  state.unwind = wasm_rt_get_unwind_target();
  state.depth = wasm_rt_call_stack_depth;
  state.saved_depth = wasm_rt_saved_call_stack_depth;
  return state;
}

void TrapState::Restore() const {
  std::memcpy(&wasm_rt_jmp_buf, &jump, sizeof(jmp_buf));
  wasm_rt_set_unwind_target(unwind);
  wasm_rt_call_stack_depth = depth;
  wasm_rt_saved_call_stack_depth = saved_depth;
}

}  // namespace wasmq::wasm::wasm2c
