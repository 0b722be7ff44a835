#pragma once
// The process-wide turn to run wasm2c code, and the runtime's global trap state that goes with it
// (see wasmq/wasm/wasm2c.hpp for why both exist).

#include "wasm-rt-impl.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace wasmq::wasm::wasm2c {

/// A recursive lock (a thread running a guest may enter another from an import) that a waiting
/// guest can give up entirely and take back at the same depth. Entries nested on the thread that
/// holds it (a cabi_realloc inside an import) touch only that thread's depth: no lock operation.
class Execution {
 public:
  static Execution& Get();

  void Enter();
  void Exit();
  /// Gives the lock up whatever its depth; returns the depth for Reacquire.
  unsigned ReleaseAll();
  void Reacquire(unsigned depth);
  /// How deep this thread is inside wasm2c code (0: it does not hold the lock).
  [[nodiscard]] static unsigned DepthOnThisThread() noexcept;

 private:
  void Take();
  void Give();

  std::mutex mutex_;
  std::condition_variable free_;
  bool held_ = false;  // guarded by mutex_
};

/// The wasm2c runtime's global trap state, saved around a call into a guest made from inside
/// another one, and around a wait. Left uninitialised until Save (no 200-byte clear per call).
struct TrapState {
  jmp_buf jump;
  WASM_RT_UNWIND_TARGET* unwind;
  std::uint32_t depth;
  std::uint32_t saved_depth;

  void Save();
  void Restore() const;
};

}  // namespace wasmq::wasm::wasm2c
