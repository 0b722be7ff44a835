#pragma once
// The pins of the WIT conformance check: each is a static_assert that a facade declaration has the
// C++ shape its WIT item maps to (docs/facade.md, "Mapping rules"). Used by signatures.cpp (the
// current revision) and signatures_r1.cpp … signatures_r4.cpp (the earlier ones).

#include <type_traits>

namespace wasi::messaging::conformance {

template <class Class, class Signature>
struct MemberOf;
template <class Class, class R, class... Args>
struct MemberOf<Class, R(Args...)> {
  using Plain = R (Class::*)(Args...);
  using Const = R (Class::*)(Args...) const;
};

#define PIN_FUNCTION(name, ...) static_assert(std::is_same_v<decltype(&name), std::add_pointer_t<__VA_ARGS__>>, #name)
#define PIN_METHOD(Class, name, ...)                                                             \
  static_assert(std::is_same_v<decltype(&Class::name), MemberOf<Class, __VA_ARGS__>::Plain> ||   \
                    std::is_same_v<decltype(&Class::name), MemberOf<Class, __VA_ARGS__>::Const>, \
                #Class "::" #name)
#define PIN_CONSTRUCTOR(Class, ...) static_assert(std::is_constructible_v<Class __VA_OPT__(, ) __VA_ARGS__>, #Class)
#define PIN_RESOURCE(Class)                                                                    \
  static_assert(std::is_move_constructible_v<Class> && !std::is_copy_constructible_v<Class> && \
                    !std::is_copy_assignable_v<Class>,                                         \
                #Class " is a move-only resource")
#define PIN_ALIAS(Alias, ...) static_assert(std::is_same_v<Alias, __VA_ARGS__>, #Alias)
#define PIN_CASE(Variant, Case, ...)                                             \
  static_assert(std::is_same_v<decltype(Variant::Case(__VA_ARGS__)), Variant> && \
                    std::is_enum_v<decltype(Variant::Kind::k##Case)>,            \
                #Variant "::" #Case)
#define PIN_RECORD(Record) static_assert(std::is_aggregate_v<Record>, #Record " is a record (an aggregate)")
#define PIN_FIELD(Record, field, ...) \
  static_assert(std::is_same_v<decltype(Record::field), __VA_ARGS__>, #Record "::" #field)

}  // namespace wasi::messaging::conformance
