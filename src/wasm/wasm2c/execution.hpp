#pragma once
// The process-wide turn to run wasm2c code, and the runtime's global trap state that goes with it
// (see wasmq/wasm/wasm2c.hpp for why both exist).

#include "wasm-rt-impl.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace wasmq::wasm::wasm2c {

/// A recursive lock (a thread running a guest may enter another from an import) that a waiting
/// guest can give up entirely and take back at the same depth.
class Execution {
 public:
  static Execution& Get();

  void Enter();
  void Exit();
  /// Gives the lock up whatever its depth; returns the depth for Reacquire.
  unsigned ReleaseAll();
  void Reacquire(unsigned depth);
  /// Whether this thread holds the lock (entries below this one are guest frames).
  [[nodiscard]] unsigned DepthOnThisThread();

 private:
  std::mutex mutex_;
  std::condition_variable free_;
  std::thread::id owner_;  // guarded by mutex_
  unsigned depth_ = 0;     // guarded by mutex_
};

/// The wasm2c runtime's global trap state, saved around every call into a guest.
struct TrapState {
  jmp_buf jump;
  WASM_RT_UNWIND_TARGET* unwind;
  std::uint32_t depth;
  std::uint32_t saved_depth;

  static TrapState Save();
  void Restore() const;
};

}  // namespace wasmq::wasm::wasm2c
