// Reads a WIT package (wit/ for the current revision, wit/r1/ … wit/r4/ for the earlier ones) and
// checks that a signatures file pins every function, method, constructor, resource, type alias,
// variant case, record and record field with the C++ shape the mapping rules give
// (docs/facade.md), and pins nothing that WIT lacks. The compiler checks the pins against the
// headers; together, a WIT item without a matching declaration fails the build or this test.
// Usage: wit_conformance <wit-dir> <signatures.cpp> [<revision namespace, e.g. r2>]
//
// Besides today's WIT it reads R1's older syntax: quoted interface names ("wasi:messaging/types"
// is interface `types`), `import name: "…"`/`export name: "…"` in worlds, and no semicolons. R1
// returns `error` without defining it; an undefined `error` is the package's one `*-error` variant.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Type {
  std::string name;
  std::vector<Type> args;
};

struct Definition {
  enum class Kind { alias, resource, variant, record } kind;
  std::string interface_name;
  Type target;                                         // aliases
  std::vector<std::pair<std::string, Type>> fields{};  // records
};

/// The C++ namespace of the revision being checked ("r2::"), or empty for the current one.
std::string revision_prefix;

/// An interface's name: R1 quotes the whole "wasi:messaging/types"; the name is its last segment.
std::string interface_name_of(const std::string& token) {
  if (!token.starts_with('"')) return token;
  const auto slash = token.find_last_of("/:");
  return token.substr(slash + 1, token.size() - slash - 2);
}

std::string pascal(const std::string& kebab) {
  std::string out;
  bool upper = true;
  for (char c : kebab) {
    if (c == '-') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

std::string snake(std::string kebab) {
  std::replace(kebab.begin(), kebab.end(), '-', '_');
  return kebab;
}

class Parser {
 public:
  explicit Parser(const std::string& text) { tokenize(text); }

  void parse_file() {
    while (!done()) {
      const std::string word = next();
      if (word == "package") {
        skip_past(";");
      } else if (word == "world") {
        next();
        expect("{");
        parse_world();
      } else if (word == "interface") {
        const std::string name = interface_name_of(next());
        expect("{");
        parse_interface(name);
      } else {
        throw std::runtime_error("unexpected '" + word + "' at top level");
      }
    }
  }

  static inline std::map<std::string, Definition> definitions;  // every named type, by WIT name
  static inline std::set<std::string> exported;                 // interfaces some world exports
  struct Function {
    std::string interface_name, resource, name;
    enum class Kind { free, method, static_method, constructor } kind;
    std::vector<Type> params;
    std::optional<Type> result;
  };
  static inline std::vector<Function> functions;
  struct Case {
    std::string variant, name;
    std::optional<Type> payload;
  };
  static inline std::vector<Case> cases;

 private:
  void tokenize(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
      const char c = text[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (text.compare(i, 2, "//") == 0) {
        i = text.find('\n', i);
        if (i == std::string::npos) i = text.size();
      } else if (c == '"') {
        const std::size_t end = text.find('"', i + 1);
        if (end == std::string::npos) throw std::runtime_error("unterminated string");
        tokens_.push_back(text.substr(i, end + 1 - i));
        i = end + 1;
      } else if (text.compare(i, 2, "->") == 0) {
        tokens_.push_back("->");
        i += 2;
      } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
        std::size_t end = i;
        while (end < text.size() &&
               (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_' || text[end] == '-')) {
          ++end;
        }
        tokens_.push_back(text.substr(i, end - i));
        i = end;
      } else {
        tokens_.emplace_back(1, c);
        ++i;
      }
    }
  }
  bool done() const { return position_ >= tokens_.size(); }
  const std::string& peek() const { return tokens_.at(position_); }
  std::string next() {
    if (done()) throw std::runtime_error("unexpected end of WIT");
    return tokens_[position_++];
  }
  void expect(const std::string& token) {
    const std::string got = next();
    if (got != token) throw std::runtime_error("expected '" + token + "', got '" + got + "'");
  }
  void skip_past(const std::string& token) {
    while (next() != token) {
    }
  }
  /// A statement's end: `;` today; R1's syntax has none.
  void end_statement() {
    if (!done() && peek() == ";") next();
  }

  Type parse_type() {
    Type type{next(), {}};
    if (!done() && peek() == "<") {
      next();
      while (true) {
        type.args.push_back(parse_type());
        const std::string separator = next();
        if (separator == ">") break;
        if (separator != ",") throw std::runtime_error("bad type argument list");
      }
    }
    return type;
  }

  std::vector<Type> parse_params() {
    expect("(");
    std::vector<Type> params;
    while (peek() != ")") {
      next();  // parameter name
      expect(":");
      params.push_back(parse_type());
      if (peek() == ",") next();
    }
    expect(")");
    return params;
  }

  void parse_function(const std::string& interface_name, const std::string& resource, const std::string& name) {
    Function function{
        interface_name, resource, name, resource.empty() ? Function::Kind::free : Function::Kind::method, {},
        std::nullopt};
    if (peek() == "static") {
      next();
      function.kind = Function::Kind::static_method;
    }
    expect("func");
    function.params = parse_params();
    if (peek() == "->") {
      next();
      function.result = parse_type();
    }
    end_statement();
    functions.push_back(std::move(function));
  }

  void parse_interface(const std::string& interface_name) {
    while (peek() != "}") {
      const std::string word = next();
      if (word == "use") {
        skip_past(";");
      } else if (word == "type") {
        const std::string name = next();
        expect("=");
        definitions[name] = {Definition::Kind::alias, interface_name, parse_type()};
        end_statement();
      } else if (word == "resource") {
        const std::string name = next();
        definitions[name] = {Definition::Kind::resource, interface_name, {}};
        if (next() == "{") {
          while (peek() != "}") {
            const std::string member = next();
            if (member == "constructor") {
              functions.push_back(
                  {interface_name, name, "constructor", Function::Kind::constructor, parse_params(), std::nullopt});
              expect(";");
            } else {
              expect(":");
              parse_function(interface_name, name, member);
            }
          }
          next();
        }
      } else if (word == "record") {
        const std::string name = next();
        Definition record{Definition::Kind::record, interface_name, {}};
        expect("{");
        while (peek() != "}") {
          const std::string field = next();
          expect(":");
          record.fields.emplace_back(field, parse_type());
          if (peek() == ",") next();
        }
        next();
        definitions[name] = std::move(record);
      } else if (word == "variant") {
        const std::string name = next();
        definitions[name] = {Definition::Kind::variant, interface_name, {}};
        expect("{");
        while (peek() != "}") {
          Case variant_case{name, next(), std::nullopt};
          if (peek() == "(") {
            next();
            variant_case.payload = parse_type();
            expect(")");
          }
          if (peek() == ",") next();
          cases.push_back(std::move(variant_case));
        }
        next();
      } else {
        expect(":");
        parse_function(interface_name, "", word);
      }
    }
    next();
  }

  void parse_world() {
    while (peek() != "}") {
      const std::string word = next();
      if (word == "import" || word == "export") {
        std::string name = next();
        if (!done() && peek() == ":") {  // R1: `export message-handler: "wasi:messaging/handler"`
          next();
          name = interface_name_of(next());
        }
        if (word == "export") exported.insert(name);
        end_statement();
      } else {
        skip_past(";");
      }
    }
    next();
  }

  std::vector<std::string> tokens_;
  std::size_t position_ = 0;
};

/// The definition `wit_name` names; an undefined `error` is the package's one `*-error` variant.
const std::pair<const std::string, Definition>& resolve(const std::string& wit_name) {
  if (auto found = Parser::definitions.find(wit_name); found != Parser::definitions.end()) return *found;
  if (wit_name == "error") {
    const std::pair<const std::string, Definition>* only = nullptr;
    for (const auto& entry : Parser::definitions) {
      if (entry.second.kind == Definition::Kind::variant && entry.first.ends_with("-error")) {
        if (only != nullptr) throw std::runtime_error("'error' is undefined and more than one *-error variant exists");
        only = &entry;
      }
    }
    if (only != nullptr) return *only;
  }
  throw std::runtime_error("undefined type '" + wit_name + "'");
}

std::string qualified(const std::string& wit_name) {
  const auto& [name, definition] = resolve(wit_name);
  return revision_prefix + snake(definition.interface_name) + "::" + pascal(name);
}

bool is_resource(const Type& type) {
  if (type.name == "error") return false;
  auto found = Parser::definitions.find(type.name);
  return found != Parser::definitions.end() && found->second.kind == Definition::Kind::resource;
}

std::string cpp(const Type& type, bool parameter) {
  static const std::map<std::string, std::string> scalars{
      {"u8", "std::uint8_t"}, {"u16", "std::uint16_t"}, {"u32", "std::uint32_t"}, {"u64", "std::uint64_t"},
      {"s8", "std::int8_t"},  {"s16", "std::int16_t"},  {"s32", "std::int32_t"},  {"s64", "std::int64_t"},
      {"bool", "bool"},       {"f32", "float"},         {"f64", "double"}};
  if (auto scalar = scalars.find(type.name); scalar != scalars.end()) return scalar->second;
  if (type.name == "string") return parameter ? "std::string_view" : "std::string";
  if (type.name == "list") {
    return parameter ? "std::span<const " + cpp(type.args.at(0), false) + ">"
                     : "std::vector<" + cpp(type.args.at(0), false) + ">";
  }
  if (type.name == "tuple") {
    std::string out = "std::tuple<";
    for (std::size_t i = 0; i < type.args.size(); ++i) out += (i ? ", " : "") + cpp(type.args[i], false);
    return out + ">";
  }
  if (type.name == "option") {
    const Type& inner = type.args.at(0);
    return "std::optional<" + cpp(inner, false) + ">" + (parameter && is_resource(inner) ? "&&" : "");
  }
  if (type.name == "result") {
    const Type& ok = type.args.at(0);
    return "std::expected<" + (ok.name == "_" ? std::string("void") : cpp(ok, false)) + ", " +
           cpp(type.args.at(1), false) + ">";
  }
  if (type.name == "borrow") return "const " + qualified(type.args.at(0).name) + "&";
  const auto& definition = resolve(type.name).second;
  switch (definition.kind) {
    case Definition::Kind::alias: return parameter ? cpp(definition.target, true) : qualified(type.name);
    case Definition::Kind::resource: return qualified(type.name) + (parameter ? "&&" : "");
    case Definition::Kind::variant:
    case Definition::Kind::record: return parameter ? "const " + qualified(type.name) + "&" : qualified(type.name);
  }
  return "?";
}

std::string signature(const Parser::Function& function) {
  std::string out = function.result ? cpp(*function.result, false) : "void";
  out += "(";
  for (std::size_t i = 0; i < function.params.size(); ++i) out += (i ? ", " : "") + cpp(function.params[i], true);
  return out + ")";
}

std::set<std::string> derived_pins() {
  std::set<std::string> pins;
  for (const auto& [name, definition] : Parser::definitions) {
    if (definition.kind == Definition::Kind::alias) {
      pins.insert("PIN_ALIAS(" + qualified(name) + ", " + cpp(definition.target, false) + ")");
    } else if (definition.kind == Definition::Kind::resource) {
      pins.insert("PIN_RESOURCE(" + qualified(name) + ")");
    } else if (definition.kind == Definition::Kind::record) {
      pins.insert("PIN_RECORD(" + qualified(name) + ")");
      for (const auto& [field, type] : definition.fields) {
        pins.insert("PIN_FIELD(" + qualified(name) + ", " + snake(field) + ", " + cpp(type, false) + ")");
      }
    }
  }
  for (const auto& variant_case : Parser::cases) {
    pins.insert("PIN_CASE(" + qualified(variant_case.variant) + ", " + pascal(variant_case.name) +
                (variant_case.payload ? ", " + cpp(*variant_case.payload, false) + "()" : "") + ")");
  }
  for (const auto& function : Parser::functions) {
    using Kind = Parser::Function::Kind;
    const std::string owner = function.resource.empty() ? "" : qualified(function.resource);
    switch (function.kind) {
      case Kind::constructor: {
        std::string params;
        for (const auto& param : function.params) params += ", " + cpp(param, true);
        pins.insert("PIN_CONSTRUCTOR(" + owner + params + ")");
        break;
      }
      case Kind::static_method:
        pins.insert("PIN_FUNCTION(" + owner + "::" + pascal(function.name) + ", " + signature(function) + ")");
        break;
      case Kind::method:
        pins.insert("PIN_METHOD(" + owner + ", " + pascal(function.name) + ", " + signature(function) + ")");
        break;
      case Kind::free:
        if (Parser::exported.contains(function.interface_name)) {  // the guest implements it
          pins.insert("PIN_METHOD(" + revision_prefix + snake(function.interface_name) + "::Guest, " +
                      pascal(function.name) + ", " + signature(function) + ")");
        } else {
          pins.insert("PIN_FUNCTION(" + revision_prefix + snake(function.interface_name) +
                      "::" + pascal(function.name) + ", " + signature(function) + ")");
        }
        break;
    }
  }
  return pins;
}

std::string without_spaces(std::string text) {
  std::erase_if(text, [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: wit_conformance <wit-dir> <signatures.cpp> [<revision namespace>]\n";
    return 2;
  }
  if (argc == 4) revision_prefix = std::string(argv[3]) + "::";
  try {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
      if (entry.path().extension() == ".wit") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file);
      std::stringstream text;
      text << in.rdbuf();
      Parser(text.str()).parse_file();
    }
    std::map<std::string, std::string> expected;  // without spaces → as derived
    for (const auto& pin : derived_pins()) expected.emplace(without_spaces(pin), pin);
    std::set<std::string> pinned;
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("PIN_") && line.ends_with(");"))
        pinned.insert(without_spaces(line.substr(0, line.size() - 1)));
    }
    int failures = 0;
    for (const auto& [key, pin] : expected) {
      if (!pinned.contains(key)) {
        std::cout << "missing or different in the facade: " << pin << "\n";
        ++failures;
      }
    }
    for (const auto& key : pinned) {
      if (!expected.contains(key)) {
        std::cout << "pinned but not in wit/: " << key << "\n";
        ++failures;
      }
    }
    std::cout << "wit conformance" << (argc == 4 ? " (" + std::string(argv[3]) + ")" : std::string()) << ": "
              << expected.size() << " WIT items from " << files.size() << " files, " << failures << " mismatches\n";
    return failures == 0 ? 0 : 1;
  } catch (const std::exception& error) {
    std::cerr << "wit conformance: cannot read the WIT: " << error.what() << "\n";
    return 2;
  }
}
