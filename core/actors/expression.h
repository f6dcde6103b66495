// Expressions of the `function` actor, e.g. `price * quantity`, `name + ' (' + age + ')'`,
// `(temp > 30 || alarm) && !muted`.
//
// Grammar (precedence as in C, lowest first; binary operators associate to the left):
//   expr    := or
//   or      := and ('||' and)*
//   and     := equal ('&&' equal)*
//   equal   := compare (('==' | '!=') compare)*
//   compare := sum (('<' | '<=' | '>' | '>=') sum)*
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/' | '%') unary)*
//   unary   := ('-' | '!') unary | primary
//   primary := number | string | 'true' | 'false' | 'null' | path | '(' expr ')'
// Numbers: 12, 1.5, .5, 2e3. Strings: 'x' or "x", with \\ \' \" \n \t \r \/ escapes. Paths: the
// FieldPath syntax (a.b, a[2], a['b c'], ['key-with-dashes']); a name is letters, digits, _, $, @
// (`-` is subtraction: write ['a-b'] for such a key; ['true'] for a field named true).
//
// Values are JSON values. Rules: arithmetic (- * / %) takes numbers; + adds numbers, and when one
// side is a string concatenates it with the other side's text (a number as 3 or 2.5, a boolean as
// true/false); < <= > >= compare two numbers or two strings; == and != compare any two values
// (different types are unequal, 1 == 1.0); && || ! take booleans, and && || short-circuit.
// Evaluation gives an IgnoreReason instead of a value when a field is missing (kMissingField), an
// operand has the wrong type or is null (kWrongType), or a result is not a finite number, which
// includes division or remainder by zero (kNotFinite).
//
// Thread-safety: a parsed Expression is immutable; Evaluate may run on several threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "actors/actor.h"
#include "event/field_path.h"

namespace coral::actors {

struct ExpressionError {
  std::size_t column = 1;  // 1-based position in the expression text
  std::string message;     // what was expected and what was found there
};

class Expression {
 public:
  // Parses `text`; on a syntax error says where and what was expected.
  static std::variant<Expression, ExpressionError> Parse(std::string_view text);

  // The value of the expression for `event`, or why there is none.
  std::variant<Json, IgnoreReason> Evaluate(const Json& event) const;

  // The expression as written.
  const std::string& text() const { return text_; }

  struct Node;  // the syntax tree, defined in expression.cc

 private:
  std::shared_ptr<const Node> root_;
  std::string text_;
};

}  // namespace coral::actors
