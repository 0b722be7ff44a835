// The round-trip benchmark's guest as a wasm32 module: only the export differs from the native build.
#include "echo_guest.hpp"

WASI_MESSAGING_EXPORT_GUEST(EchoGuest)
