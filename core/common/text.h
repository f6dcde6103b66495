// Small text helpers shared by the validator and the CLI.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coral {

// Levenshtein distance between two ASCII strings (case-sensitive).
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, or empty when none is close enough to be a likely typo.
std::string_view NearestWord(std::string_view word, std::span<const std::string_view> candidates);

// "a, b or c" -- for messages that list the accepted values.
std::string JoinAlternatives(std::span<const std::string_view> words, std::string_view last = "or");

// A value as it should be shown to a user inside a message: strings quoted, long ones shortened.
std::string QuoteForMessage(std::string_view text, std::size_t max_length = 40);

// Where the first byte of invalid UTF-8 is, or npos when `text` is valid UTF-8.
std::size_t FindInvalidUtf8(std::string_view text);

}  // namespace coral
