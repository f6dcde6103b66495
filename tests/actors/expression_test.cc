#include <doctest/doctest.h>

#include <string>

#include "actors/expression.h"

namespace coral::actors {
namespace {

std::variant<Json, IgnoreReason> Run(std::string_view text, std::string_view event = "{}") {
  auto parsed = Expression::Parse(text);
  const auto* error = std::get_if<ExpressionError>(&parsed);
  REQUIRE_MESSAGE(!error, "parse error in ", text, ": ", (error ? error->message : ""));
  return std::get<Expression>(parsed).Evaluate(Json::parse(event));
}

// The value; fails the test when there is none.
Json Eval(std::string_view text, std::string_view event = "{}") {
  auto result = Run(text, event);
  REQUIRE_MESSAGE(std::holds_alternative<Json>(result), "no value for ", text, ": ",
                  IgnoreReasonName(std::get<IgnoreReason>(result)));
  return std::get<Json>(result);
}

// Why there is no value; fails the test when there is one.
IgnoreReason Why(std::string_view text, std::string_view event = "{}") {
  auto result = Run(text, event);
  REQUIRE_MESSAGE(std::holds_alternative<IgnoreReason>(result), "unexpected value for ", text, ": ",
                  (std::holds_alternative<Json>(result) ? std::get<Json>(result).dump() : ""));
  return std::get<IgnoreReason>(result);
}

ExpressionError ParseError(std::string_view text) {
  auto parsed = Expression::Parse(text);
  REQUIRE_MESSAGE(std::holds_alternative<ExpressionError>(parsed), "parsed: ", text);
  return std::get<ExpressionError>(parsed);
}

}  // namespace

TEST_SUITE("expression") {
  TEST_CASE("literals") {
    CHECK(Eval("12") == Json(12));
    CHECK(Eval("1.5") == Json(1.5));
    CHECK(Eval(".5") == Json(0.5));
    CHECK(Eval("2e3") == Json(2000));
    CHECK(Eval("2.5E-1") == Json(0.25));
    CHECK(Eval("'single'") == Json("single"));
    CHECK(Eval("\"double\"") == Json("double"));
    CHECK(Eval(R"('it\'s \"x\" a\\b\nc\t\/')") == Json("it's \"x\" a\\b\nc\t/"));
    CHECK(Eval("true") == Json(true));
    CHECK(Eval("false") == Json(false));
    CHECK(Eval("null") == Json(nullptr));
    CHECK(Eval("12").is_number_integer());
    CHECK(Eval("1.5").is_number_float());
  }

  TEST_CASE("precedence and associativity as in C") {
    CHECK(Eval("1 + 2 * 3") == Json(7));
    CHECK(Eval("(1 + 2) * 3") == Json(9));
    CHECK(Eval("10 - 4 - 3") == Json(3));
    CHECK(Eval("64 / 4 / 2") == Json(8));
    CHECK(Eval("2 * 7 % 4") == Json(2));
    CHECK(Eval("-2 * 3") == Json(-6));
    CHECK(Eval("- -2") == Json(2));
    CHECK(Eval("1 + 2 < 4 == true") == Json(true));
    CHECK(Eval("true || false && false") == Json(true));
    CHECK(Eval("!true || true") == Json(true));
    CHECK(Eval("!(true || true)") == Json(false));
    CHECK(Eval("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4") == Json(false));
    CHECK(Eval("  ( ( 1 ) )  ") == Json(1));
  }

  TEST_CASE("arithmetic") {
    CHECK(Eval("7 / 2") == Json(3.5));
    CHECK(Eval("7 % 3") == Json(1));
    CHECK(Eval("-7 % 3") == Json(-1));
    CHECK(Eval("7.5 % 2") == Json(1.5));
    CHECK(Eval("0.1 + 0.2") == Json(0.1 + 0.2));
  }

  TEST_CASE("division or remainder by zero and overflow are not finite") {
    CHECK(Why("1 / 0") == IgnoreReason::kNotFinite);
    CHECK(Why("0 / 0") == IgnoreReason::kNotFinite);
    CHECK(Why("5 % 0") == IgnoreReason::kNotFinite);
    CHECK(Why("1e308 * 10") == IgnoreReason::kNotFinite);
    CHECK(Why("x / y", R"({"x": 1, "y": 0})") == IgnoreReason::kNotFinite);
  }

  TEST_CASE("+ concatenates when either side is a string") {
    CHECK(Eval("'a' + 'b'") == Json("ab"));
    CHECK(Eval("'n=' + 3") == Json("n=3"));
    CHECK(Eval("2.5 + 'x'") == Json("2.5x"));
    CHECK(Eval("'x' + true") == Json("xtrue"));
    CHECK(Eval("1 + 2 + 'x'") == Json("3x"));
    CHECK(Eval("'x' + 1 + 2") == Json("x12"));
    CHECK(Eval("name + ' (' + age + ')'", R"({"name": "Ann", "age": 31})") == Json("Ann (31)"));
  }

  TEST_CASE("type errors") {
    CHECK(Why("'a' * 2") == IgnoreReason::kWrongType);
    CHECK(Why("'a' - 'b'") == IgnoreReason::kWrongType);
    CHECK(Why("'x' + null") == IgnoreReason::kWrongType);
    CHECK(Why("true + 1") == IgnoreReason::kWrongType);
    CHECK(Why("'a' < 1") == IgnoreReason::kWrongType);
    CHECK(Why("null < 1") == IgnoreReason::kWrongType);
    CHECK(Why("-'a'") == IgnoreReason::kWrongType);
    CHECK(Why("!1") == IgnoreReason::kWrongType);
    CHECK(Why("1 && true") == IgnoreReason::kWrongType);
    CHECK(Why("true && 1") == IgnoreReason::kWrongType);
    CHECK(Why("false || 'yes'") == IgnoreReason::kWrongType);
    CHECK(Why("n * 2", R"({"n": null})") == IgnoreReason::kWrongType);
    CHECK(Why("o + 1", R"({"o": {"a": 1}})") == IgnoreReason::kWrongType);
    CHECK(Why("'s' + l", R"({"l": [1]})") == IgnoreReason::kWrongType);
  }

  TEST_CASE("comparisons") {
    CHECK(Eval("'apple' < 'banana'") == Json(true));
    CHECK(Eval("'b' >= 'b'") == Json(true));
    CHECK(Eval("1 == 1.0") == Json(true));
    CHECK(Eval("1 == '1'") == Json(false));
    CHECK(Eval("1 != '1'") == Json(true));
    CHECK(Eval("null == null") == Json(true));
    CHECK(Eval("null == false") == Json(false));
    CHECK(Eval("a == b", R"({"a": {"x": [1, 2]}, "b": {"x": [1, 2]}})") == Json(true));
    CHECK(Eval("a != b", R"({"a": [1], "b": [2]})") == Json(true));
  }

  TEST_CASE("field paths") {
    std::string_view event =
        R"({"price": 2.5, "qty": 4, "a": {"b": [0, {"c": 7}]}, "a-b": 1, "true": 5,
            "with space": 2, "flag": true, "o": {"k": "v"}})";
    CHECK(Eval("price * qty", event) == Json(10));
    CHECK(Eval("a.b[1].c + 1", event) == Json(8));
    CHECK(Eval("['a-b'] + 1", event) == Json(2));
    CHECK(Eval("a-b", R"({"a": 5, "b": 3})") == Json(2));  // `-` is subtraction
    CHECK(Eval("['true'] * 2", event) == Json(10));
    CHECK(Eval("['with space']", event) == Json(2));
    CHECK(Eval("!flag", event) == Json(false));
    CHECK(Eval("o", event) == Json::parse(R"({"k": "v"})"));
    CHECK(Eval("a.b[0]", event) == Json(0));
  }

  TEST_CASE("a missing field gives no value") {
    CHECK(Why("missing + 1") == IgnoreReason::kMissingField);
    CHECK(Why("a.b.c", R"({"a": {"b": 1}})") == IgnoreReason::kMissingField);
    CHECK(Why("l[3]", R"({"l": [1, 2]})") == IgnoreReason::kMissingField);
    CHECK(Why("1 + 'x' + nope") == IgnoreReason::kMissingField);
  }

  TEST_CASE("&& and || short-circuit") {
    CHECK(Eval("false && missing") == Json(false));
    CHECK(Eval("true || missing") == Json(true));
    CHECK(Eval("false && 1 / 0 > 1") == Json(false));
    CHECK(Why("true && missing") == IgnoreReason::kMissingField);
    CHECK(Why("false || missing") == IgnoreReason::kMissingField);
    CHECK(Eval("has && n > 1", R"({"has": false})") == Json(false));
  }

  TEST_CASE("syntax errors: column and what was expected") {
    ExpressionError e = ParseError("a + * b");
    CHECK(e.column == 5);
    CHECK(e.message ==
          "expected a value (a number, a 'string', true, false, null, a field name or `(`), found "
          "`*`");

    e = ParseError("(1 + 2");
    CHECK(e.column == 7);
    CHECK(e.message ==
          "expected `)` to close the `(` at column 1, found the end of the expression");

    e = ParseError("a = 1");
    CHECK(e.column == 3);
    CHECK(e.message == "`=` is not an operator; write `==` to compare");

    e = ParseError("x + 'abc");
    CHECK(e.column == 5);
    CHECK(e.message == "the string that starts here has no closing '");

    e = ParseError("1 2");
    CHECK(e.column == 3);
    CHECK(e.message ==
          "expected an operator (such as + or &&) or the end of the expression, found `2`");

    e = ParseError("");
    CHECK(e.column == 1);
    CHECK(e.message.find("found the end of the expression") != std::string::npos);

    CHECK(ParseError("a & b").message == "write `&&` for \"and\"");
    CHECK(ParseError("a | b").message == "write `||` for \"or\"");
    CHECK(ParseError("a)").message == "this `)` closes no `(`, found `)`");
    CHECK(ParseError("a # b").column == 3);
    CHECK(ParseError("a # b").message == "unexpected character `#`");
    CHECK(ParseError("3abc").message.find("a field name cannot start with a digit") !=
          std::string::npos);
    CHECK(ParseError("a[1").message == "`[` without a closing `]`");
    CHECK(ParseError("a[x] + 1").message.find("is not a valid field path") != std::string::npos);
    CHECK(ParseError("2e + 1").message == "expected the digits of the exponent, as in 2e3");
    e = ParseError(R"('a\qb')");
    CHECK(e.column == 3);
    CHECK(e.message.find("unknown escape `\\q`") != std::string::npos);
    CHECK(ParseError("1 +").message.find("found the end of the expression") != std::string::npos);
    CHECK(ParseError("!").column == 2);
  }

  TEST_CASE("nesting is bounded, so evaluation cannot exhaust the stack") {
    std::string deep_parens = std::string(300, '(') + "1" + std::string(300, ')');
    CHECK(ParseError(deep_parens).message.find("nested `(`") != std::string::npos);
    std::string ok_parens = std::string(200, '(') + "1" + std::string(200, ')');
    CHECK(Eval(ok_parens) == Json(1));
    std::string long_sum = "1";
    for (int i = 0; i < 300; ++i) long_sum += " + 1";
    CHECK(ParseError(long_sum).message.find("nests more than 256 operations deep") !=
          std::string::npos);
    std::string sum = "1";
    for (int i = 0; i < 200; ++i) sum += " + 1";
    CHECK(Eval(sum) == Json(201));
    CHECK(ParseError(std::string(300, '-') + "1").message == "too many `-` or `!` in a row");
  }
}

}  // namespace coral::actors
