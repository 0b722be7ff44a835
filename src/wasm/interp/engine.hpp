#pragma once
// The wabt interpreter behind a narrow C++17 interface. wabt 1.0.32's interpreter headers do not
// compile as C++20 or later with g++ 12 ("template-id not allowed for destructor" in
// interp-inl.h), and wasmq is C++23: engine.cpp alone is compiled as C++17, and nothing of wabt
// crosses this header.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace wasmq::wasm::interp {

/// What the engine calls back for each import the module declares.
class EngineHost {
 public:
  virtual ~EngineHost() = default;
  /// The import's id and flat signature, or false when the host has no such import.
  virtual bool Resolve(const std::string& module, const std::string& name, int* id, std::size_t* params,
                       bool* returns_i32) = 0;
  /// Runs import `id`; false (and `trap` set) when the guest must trap.
  virtual bool Call(int id, const std::uint32_t* args, std::size_t count, std::uint32_t* result, std::string* trap) = 0;
};

/// One instantiated module.
class Engine {
 public:
  virtual ~Engine() = default;
  /// Decodes and instantiates `wasm` (a module exporting memory, cabi_realloc and the handle
  /// export; the start function and _initialize are not run here). Null, with `error`, on failure.
  static std::unique_ptr<Engine> Load(const std::uint8_t* wasm, std::size_t size, EngineHost& host, std::string* error);

  virtual std::uint8_t* MemoryData() = 0;
  virtual std::size_t MemorySize() = 0;
  virtual std::uint64_t MemoryPages() = 0;
  /// Whether the module exports each of these.
  virtual bool HasInitialize() const = 0;
  virtual bool HasPostHandle() const = 0;
  virtual bool HasFuel() const = 0;
  virtual void SetFuel(std::uint32_t fuel) = 0;
  virtual std::uint32_t Fuel() const = 0;

  // Calls into the guest; false with `trap` set when it trapped. Calls made from inside an
  // import (cabi_realloc) run on the interpreter thread of the call that is running.
  virtual bool Initialize(std::string* trap) = 0;
  virtual bool Handle(std::uint32_t message, std::uint32_t* ret, std::string* trap) = 0;
  virtual bool PostHandle(std::uint32_t ret, std::string* trap) = 0;
  virtual bool Realloc(std::uint32_t old_ptr, std::uint32_t old_size, std::uint32_t align, std::uint32_t size,
                       std::uint32_t* result, std::string* trap) = 0;
};

}  // namespace wasmq::wasm::interp
