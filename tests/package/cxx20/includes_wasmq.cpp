// Compiled as C++20 by package.cxx20_translation_unit_gets_a_clear_error: wasmq must stop it with
// one #error naming C++23, not a cascade of errors about std::expected.
#include <wasmq/wasmq.hpp>
