#pragma once
// The process-wide turn to run wasm2c code, and the runtime's global trap state that goes with it
// (see wasmq/wasm/wasm2c.hpp for why both exist).

#include "wasm-rt-impl.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace wasmq::wasm::wasm2c {

/// A recursive lock (a thread running a guest may enter another from an import) that a waiting
/// guest can give up entirely and take back at the same depth. Entries nested on the thread that
/// holds it (a cabi_realloc inside an import) touch only that thread's depth: no lock operation.
/// Uncontended, taking it is one atomic exchange and giving it one more; a thread that finds it
/// held sleeps on a condition variable, and a giver that sees a sleeper wakes one.
class Execution {
 public:
  static Execution& Get();

  void Enter() {
    if (depth_on_this_thread_++ == 0) Take();
  }
  void Exit() {
    if (--depth_on_this_thread_ == 0) Give();
  }
  /// Gives the lock up whatever its depth; returns the depth for Reacquire.
  unsigned ReleaseAll();
  void Reacquire(unsigned depth);
  /// How deep this thread is inside wasm2c code (0: it does not hold the lock).
  [[nodiscard]] static unsigned DepthOnThisThread() noexcept { return depth_on_this_thread_; }

 private:
  void Take() {
    // Acquire: pairs with Give's store, so the previous holder's writes to the runtime's globals
    // and to guest memory are seen by this one.
    if (!held_.exchange(true, std::memory_order_acquire)) [[likely]]
      return;
    WaitAndTake();
  }
  void Give() {
    // Seq_cst on both: the store and the load of sleepers_ must not pass each other (a sleeper
    // counts itself, then tries the flag; a giver clears the flag, then counts sleepers), or a
    // giver could miss a thread that is about to sleep. Release is part of it: see Take.
    held_.store(false, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) != 0) [[unlikely]]
      WakeOne();
  }
  void WaitAndTake();
  void WakeOne();

  // How deep this thread is inside wasm2c code; only this thread reads or writes it.
  static inline thread_local constinit unsigned depth_on_this_thread_ = 0;
  std::atomic<bool> held_{false};
  std::atomic<unsigned> sleepers_{0};  // threads in WaitAndTake; changed under mutex_
  std::mutex mutex_;
  std::condition_variable free_;
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
