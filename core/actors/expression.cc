#include "actors/expression.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "actors/json_values.h"
#include "common/text.h"

namespace coral::actors {
namespace {

// Deeper trees are rejected at parse time, so that evaluating (and destroying) one cannot exhaust
// the stack. 256 levels is far beyond any hand-written expression.
constexpr int kMaxDepth = 256;

enum class Op { kOr, kAnd, kEq, kNe, kLt, kLe, kGt, kGe, kAdd, kSub, kMul, kDiv, kMod, kNeg, kNot };

// An evaluated value: objects and lists stay in the event (the pointer), the rest are copies.
using Value = std::variant<std::nullptr_t, bool, double, std::string, const Json*>;

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '@' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

struct Token {
  enum class Kind { kNumber, kString, kLiteral, kPath, kOperator, kOpen, kClose, kEnd };
  Kind kind = Kind::kEnd;
  std::size_t column = 1;
  std::string text;  // as written
  Value value;       // kNumber, kString, kLiteral
  FieldPath path;    // kPath
};

std::string Found(const Token& token) {
  if (token.kind == Token::Kind::kEnd) return "the end of the expression";
  return fmt::format("`{}`", token.text);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // All tokens, ending with kEnd; or the first error.
  std::variant<std::vector<Token>, ExpressionError> Run() {
    std::vector<Token> tokens;
    while (true) {
      while (i_ < text_.size() &&
             (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\n' || text_[i_] == '\r')) {
        ++i_;
      }
      if (i_ == text_.size()) {
        tokens.push_back({Token::Kind::kEnd, i_ + 1, "", nullptr, {}});
        return tokens;
      }
      std::optional<Token> token = Next();
      if (!token) return std::move(*error_);
      tokens.push_back(std::move(*token));
    }
  }

 private:
  std::optional<Token> Fail(std::size_t at, std::string message) {
    error_ = ExpressionError{at + 1, std::move(message)};
    return std::nullopt;
  }

  std::optional<Token> Next() {
    std::size_t start = i_;
    char c = text_[i_];
    char next = i_ + 1 < text_.size() ? text_[i_ + 1] : '\0';
    if (IsDigit(c) || (c == '.' && IsDigit(next))) return Number();
    if (c == '\'' || c == '"') return String();
    if (IsNameChar(c) || c == '[') return Path();
    static constexpr std::string_view kTwo[] = {"||", "&&", "==", "!=", "<=", ">="};
    for (std::string_view op : kTwo) {
      if (text_.substr(i_, 2) == op) {
        i_ += 2;
        return Token{Token::Kind::kOperator, start + 1, std::string(op), nullptr, {}};
      }
    }
    ++i_;
    switch (c) {
      case '(':
        return Token{Token::Kind::kOpen, start + 1, "(", nullptr, {}};
      case ')':
        return Token{Token::Kind::kClose, start + 1, ")", nullptr, {}};
      case '<':
      case '>':
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case '!':
        return Token{Token::Kind::kOperator, start + 1, std::string(1, c), nullptr, {}};
      case '=':
        return Fail(start, "`=` is not an operator; write `==` to compare");
      case '&':
        return Fail(start, "write `&&` for \"and\"");
      case '|':
        return Fail(start, "write `||` for \"or\"");
      default:
        break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      return Fail(start, "unexpected control character; remove it");
    }
    return Fail(start, fmt::format("unexpected character `{}`", c));
  }

  std::optional<Token> Number() {
    std::size_t start = i_;
    while (i_ < text_.size() && IsDigit(text_[i_])) ++i_;
    if (i_ < text_.size() && text_[i_] == '.') {
      ++i_;
      while (i_ < text_.size() && IsDigit(text_[i_])) ++i_;
    }
    if (i_ < text_.size() && (text_[i_] == 'e' || text_[i_] == 'E')) {
      ++i_;
      if (i_ < text_.size() && (text_[i_] == '+' || text_[i_] == '-')) ++i_;
      if (i_ == text_.size() || !IsDigit(text_[i_])) {
        return Fail(i_, "expected the digits of the exponent, as in 2e3");
      }
      while (i_ < text_.size() && IsDigit(text_[i_])) ++i_;
    }
    if (i_ < text_.size() && (IsNameChar(text_[i_]) || text_[i_] == '.')) {
      return Fail(i_, fmt::format("unexpected `{}` after the number {}; a field name cannot start "
                                  "with a digit (write ['{}'])",
                                  text_[i_], text_.substr(start, i_ - start),
                                  text_.substr(start, i_ - start + 1)));
    }
    std::string_view digits = text_.substr(start, i_ - start);
    double number = 0;
    auto [end, code] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (code != std::errc() || !std::isfinite(number)) {
      return Fail(start, fmt::format("the number {} is too large", digits));
    }
    return Token{Token::Kind::kNumber, start + 1, std::string(digits), number, {}};
  }

  std::optional<Token> String() {
    std::size_t start = i_;
    char quote = text_[i_++];
    std::string value;
    while (true) {
      if (i_ >= text_.size()) {
        return Fail(start, fmt::format("the string that starts here has no closing {}", quote));
      }
      char c = text_[i_++];
      if (c == quote) break;
      if (c != '\\') {
        value.push_back(c);
        continue;
      }
      if (i_ >= text_.size()) {
        return Fail(start, fmt::format("the string that starts here has no closing {}", quote));
      }
      char escaped = text_[i_++];
      switch (escaped) {
        case '\\':
        case '\'':
        case '"':
        case '/':
          value.push_back(escaped);
          break;
        case 'n':
          value.push_back('\n');
          break;
        case 't':
          value.push_back('\t');
          break;
        case 'r':
          value.push_back('\r');
          break;
        default:
          return Fail(i_ - 2,
                      fmt::format("unknown escape `\\{}`; write \\\\ for a backslash", escaped));
      }
    }
    std::string text(text_.substr(start, i_ - start));
    return Token{Token::Kind::kString, start + 1, std::move(text), std::move(value), {}};
  }

  std::optional<Token> Path() {
    std::size_t start = i_;
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (IsNameChar(c)) {
        ++i_;
      } else if (c == '[') {
        char quote = 0;
        std::size_t j = i_ + 1;
        for (; j < text_.size(); ++j) {
          if (quote) {
            if (text_[j] == quote) quote = 0;
          } else if (text_[j] == '\'' || text_[j] == '"') {
            quote = text_[j];
          } else if (text_[j] == ']') {
            break;
          }
        }
        if (j >= text_.size()) return Fail(i_, "`[` without a closing `]`");
        i_ = j + 1;
      } else if (c == '.' && i_ > start && i_ + 1 < text_.size() &&
                 (IsNameChar(text_[i_ + 1]) || text_[i_ + 1] == '[')) {
        ++i_;
      } else {
        break;
      }
    }
    std::string text(text_.substr(start, i_ - start));
    if (text == "true" || text == "false") {
      return Token{Token::Kind::kLiteral, start + 1, text, text == "true", {}};
    }
    if (text == "null") return Token{Token::Kind::kLiteral, start + 1, text, nullptr, {}};
    std::string error;
    std::optional<FieldPath> path = FieldPath::Parse(text, &error);
    if (!path) {
      return Fail(start, fmt::format("{} is not a valid field path: {}", text, error));
    }
    return Token{Token::Kind::kPath, start + 1, std::move(text), nullptr, std::move(*path)};
  }

  std::string_view text_;
  std::size_t i_ = 0;
  std::optional<ExpressionError> error_;
};

struct BinaryOperator {
  std::string_view text;
  Op op;
  int precedence;
};

constexpr BinaryOperator kBinary[] = {
    {"||", Op::kOr, 1}, {"&&", Op::kAnd, 2}, {"==", Op::kEq, 3}, {"!=", Op::kNe, 3},
    {"<", Op::kLt, 4},  {"<=", Op::kLe, 4},  {">", Op::kGt, 4},  {">=", Op::kGe, 4},
    {"+", Op::kAdd, 5}, {"-", Op::kSub, 5},  {"*", Op::kMul, 6}, {"/", Op::kDiv, 6},
    {"%", Op::kMod, 6},
};

const BinaryOperator* FindBinary(const Token& token) {
  if (token.kind != Token::Kind::kOperator) return nullptr;
  for (const BinaryOperator& candidate : kBinary) {
    if (candidate.text == token.text) return &candidate;
  }
  return nullptr;
}

constexpr std::string_view kExpectedValue =
    "expected a value (a number, a 'string', true, false, null, a field name or `(`)";

}  // namespace

struct Expression::Node {
  enum class Kind { kLiteral, kPath, kUnary, kBinary };
  Kind kind = Kind::kLiteral;
  Op op = Op::kAdd;
  Value literal;
  FieldPath path;
  std::unique_ptr<Node> left;
  std::unique_ptr<Node> right;
  int depth = 1;
};

namespace {

using Node = Expression::Node;

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::unique_ptr<Node> Run() {
    std::unique_ptr<Node> root = Binary(1);
    if (!root) return nullptr;
    if (Peek().kind != Token::Kind::kEnd) {
      const char* expected = Peek().kind == Token::Kind::kClose
                                 ? "this `)` closes no `(`"
                                 : "expected an operator (such as + or &&) or the end of the "
                                   "expression";
      return Fail(Peek(), fmt::format("{}, found {}", expected, Found(Peek())));
    }
    return root;
  }

  ExpressionError error() const { return *error_; }

 private:
  const Token& Peek() const { return tokens_[position_]; }
  const Token& Take() { return tokens_[position_++]; }

  std::unique_ptr<Node> Fail(const Token& at, std::string message) {
    if (!error_) error_ = ExpressionError{at.column, std::move(message)};
    return nullptr;
  }

  std::unique_ptr<Node> Deepest(std::unique_ptr<Node> node, const Token& at) {
    node->depth =
        1 + std::max(node->left ? node->left->depth : 0, node->right ? node->right->depth : 0);
    if (node->depth > kMaxDepth) {
      return Fail(at, fmt::format("the expression nests more than {} operations deep; split it "
                                  "over several function actors",
                                  kMaxDepth));
    }
    return node;
  }

  std::unique_ptr<Node> Binary(int min_precedence) {
    std::unique_ptr<Node> left = Unary();
    while (left) {
      const Token& token = Peek();
      const BinaryOperator* op = FindBinary(token);
      if (!op || op->precedence < min_precedence) break;
      Take();
      std::unique_ptr<Node> right = Binary(op->precedence + 1);
      if (!right) return nullptr;
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::kBinary;
      node->op = op->op;
      node->left = std::move(left);
      node->right = std::move(right);
      left = Deepest(std::move(node), token);
    }
    return left;
  }

  std::unique_ptr<Node> Unary() {
    const Token& token = Peek();
    if (token.kind == Token::Kind::kOperator && (token.text == "-" || token.text == "!")) {
      Take();
      if (++nesting_ > kMaxDepth) return Fail(token, "too many `-` or `!` in a row");
      std::unique_ptr<Node> operand = Unary();
      --nesting_;
      if (!operand) return nullptr;
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::kUnary;
      node->op = token.text == "-" ? Op::kNeg : Op::kNot;
      node->left = std::move(operand);
      return Deepest(std::move(node), token);
    }
    return Primary();
  }

  std::unique_ptr<Node> Primary() {
    const Token& token = Take();
    auto node = std::make_unique<Node>();
    switch (token.kind) {
      case Token::Kind::kNumber:
      case Token::Kind::kString:
      case Token::Kind::kLiteral:
        node->literal = token.value;
        return node;
      case Token::Kind::kPath:
        node->kind = Node::Kind::kPath;
        node->path = token.path;
        return node;
      case Token::Kind::kOpen: {
        if (++nesting_ > kMaxDepth) {
          return Fail(token, fmt::format("more than {} nested `(`", kMaxDepth));
        }
        std::unique_ptr<Node> inside = Binary(1);
        --nesting_;
        if (!inside) return nullptr;
        if (Peek().kind != Token::Kind::kClose) {
          return Fail(Peek(), fmt::format("expected `)` to close the `(` at column {}, found {}",
                                          token.column, Found(Peek())));
        }
        Take();
        return inside;
      }
      default:
        return Fail(token, fmt::format("{}, found {}", kExpectedValue, Found(token)));
    }
  }

  std::vector<Token> tokens_;
  std::size_t position_ = 0;
  int nesting_ = 0;
  std::optional<ExpressionError> error_;
};

// Evaluation. Each function returns false and sets `why` when there is no value.
class Evaluator {
 public:
  explicit Evaluator(const Json& event) : event_(event) {}

  bool Eval(const Node& node, Value& out) {
    switch (node.kind) {
      case Node::Kind::kLiteral:
        out = node.literal;
        return true;
      case Node::Kind::kPath:
        return Lookup(node.path, out);
      case Node::Kind::kUnary:
        return Unary(node, out);
      case Node::Kind::kBinary:
        return Binary(node, out);
    }
    return false;
  }

  IgnoreReason why = IgnoreReason::kWrongType;

 private:
  bool Reject(IgnoreReason reason) {
    why = reason;
    return false;
  }

  bool Lookup(const FieldPath& path, Value& out) {
    const Json* found = path.Resolve(event_);
    if (!found) return Reject(IgnoreReason::kMissingField);
    switch (found->type()) {
      case Json::value_t::null:
        out = nullptr;
        return true;
      case Json::value_t::boolean:
        out = found->get<bool>();
        return true;
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
      case Json::value_t::number_float: {
        double number = found->get<double>();
        if (!std::isfinite(number)) return Reject(IgnoreReason::kNotFinite);
        out = number;
        return true;
      }
      case Json::value_t::string:
        out = found->get<std::string>();
        return true;
      default:
        out = found;  // object or list
        return true;
    }
  }

  bool Unary(const Node& node, Value& out) {
    Value operand;
    if (!Eval(*node.left, operand)) return false;
    if (node.op == Op::kNeg) {
      const double* number = std::get_if<double>(&operand);
      if (!number) return Reject(IgnoreReason::kWrongType);
      out = -*number;
      return true;
    }
    const bool* flag = std::get_if<bool>(&operand);
    if (!flag) return Reject(IgnoreReason::kWrongType);
    out = !*flag;
    return true;
  }

  bool Binary(const Node& node, Value& out) {
    Value left;
    if (!Eval(*node.left, left)) return false;
    if (node.op == Op::kAnd || node.op == Op::kOr) {
      const bool* flag = std::get_if<bool>(&left);
      if (!flag) return Reject(IgnoreReason::kWrongType);
      if (*flag == (node.op == Op::kOr)) {  // false && x, true || x: x is not evaluated
        out = *flag;
        return true;
      }
      Value right;
      if (!Eval(*node.right, right)) return false;
      if (!std::holds_alternative<bool>(right)) return Reject(IgnoreReason::kWrongType);
      out = std::move(right);
      return true;
    }
    Value right;
    if (!Eval(*node.right, right)) return false;
    switch (node.op) {
      case Op::kEq:
        out = Equal(left, right);
        return true;
      case Op::kNe:
        out = !Equal(left, right);
        return true;
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe:
        return Compare(node.op, left, right, out);
      case Op::kAdd:
        if (std::holds_alternative<std::string>(left) ||
            std::holds_alternative<std::string>(right)) {
          return Concatenate(left, right, out);
        }
        return Arithmetic(node.op, left, right, out);
      default:
        return Arithmetic(node.op, left, right, out);
    }
  }

  static bool Equal(const Value& left, const Value& right) {
    if (left.index() != right.index()) return false;
    if (const auto* json = std::get_if<const Json*>(&left)) {
      return **json == *std::get<const Json*>(right);
    }
    return left == right;
  }

  bool Compare(Op op, const Value& left, const Value& right, Value& out) {
    int order = 0;
    if (std::holds_alternative<double>(left) && std::holds_alternative<double>(right)) {
      double a = std::get<double>(left);
      double b = std::get<double>(right);
      order = a < b ? -1 : (a > b ? 1 : 0);
    } else if (std::holds_alternative<std::string>(left) &&
               std::holds_alternative<std::string>(right)) {
      order = std::get<std::string>(left).compare(std::get<std::string>(right));
    } else {
      return Reject(IgnoreReason::kWrongType);
    }
    switch (op) {
      case Op::kLt:
        out = order < 0;
        break;
      case Op::kLe:
        out = order <= 0;
        break;
      case Op::kGt:
        out = order > 0;
        break;
      default:
        out = order >= 0;
        break;
    }
    return true;
  }

  static bool Text(const Value& value, std::string& out) {
    if (const auto* text = std::get_if<std::string>(&value)) {
      out += *text;
    } else if (const auto* number = std::get_if<double>(&value)) {
      out += NumberText(*number);
    } else if (const auto* flag = std::get_if<bool>(&value)) {
      out += *flag ? "true" : "false";
    } else {
      return false;  // null, object, list
    }
    return true;
  }

  bool Concatenate(const Value& left, const Value& right, Value& out) {
    std::string text;
    if (!Text(left, text) || !Text(right, text)) return Reject(IgnoreReason::kWrongType);
    out = std::move(text);
    return true;
  }

  bool Arithmetic(Op op, const Value& left, const Value& right, Value& out) {
    const double* a = std::get_if<double>(&left);
    const double* b = std::get_if<double>(&right);
    if (!a || !b) return Reject(IgnoreReason::kWrongType);
    double result = 0;
    switch (op) {
      case Op::kAdd:
        result = *a + *b;
        break;
      case Op::kSub:
        result = *a - *b;
        break;
      case Op::kMul:
        result = *a * *b;
        break;
      case Op::kDiv:
        if (*b == 0) return Reject(IgnoreReason::kNotFinite);
        result = *a / *b;
        break;
      default:
        if (*b == 0) return Reject(IgnoreReason::kNotFinite);
        result = std::fmod(*a, *b);
        break;
    }
    if (!std::isfinite(result)) return Reject(IgnoreReason::kNotFinite);
    out = result;
    return true;
  }

  const Json& event_;
};

Json ToJson(Value value) {
  if (const auto* flag = std::get_if<bool>(&value)) return *flag;
  if (const auto* number = std::get_if<double>(&value)) return NumberJson(*number);
  if (auto* text = std::get_if<std::string>(&value)) return std::move(*text);
  if (const auto* json = std::get_if<const Json*>(&value)) return **json;
  return nullptr;
}

}  // namespace

std::variant<Expression, ExpressionError> Expression::Parse(std::string_view text) {
  auto lexed = Lexer(text).Run();
  if (auto* error = std::get_if<ExpressionError>(&lexed)) return std::move(*error);
  Parser parser(std::get<std::vector<Token>>(std::move(lexed)));
  std::unique_ptr<Node> root = parser.Run();
  if (!root) return parser.error();
  Expression expression;
  expression.root_ = std::move(root);
  expression.text_ = std::string(text);
  return expression;
}

std::variant<Json, IgnoreReason> Expression::Evaluate(const Json& event) const {
  Evaluator evaluator(event);
  Value value;
  if (!evaluator.Eval(*root_, value)) return evaluator.why;
  return ToJson(std::move(value));
}

}  // namespace coral::actors
