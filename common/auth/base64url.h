// Copyright The Council Suite Authors.
//
// -----------------------------------------------------------------------------
// File: base64url.h
// -----------------------------------------------------------------------------
//
// Strict, unpadded base64url (RFC 4648 section 5) as used by JWS (RFC 7515)
// and by the internal assertion format.
//
// The decoder is deliberately stricter than `absl::WebSafeBase64Unescape`:
// it refuses padding, whitespace and non-canonical trailing bits. Lenient
// decoding would let many distinct strings decode to the same bytes, so a
// token could be altered without changing what is signed, which confuses
// replay caches and logs keyed on the token text.
//
// Example:
//
//   std::string encoded = council::auth::Base64UrlEncode("hi?");  // "aGk_"
//   std::optional<std::string> decoded =
//       council::auth::Base64UrlDecode(encoded);                  // "hi?"

#ifndef COUNCIL_COMMON_AUTH_BASE64URL_H_
#define COUNCIL_COMMON_AUTH_BASE64URL_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace council::auth {

// Base64UrlEncode()
//
// Encodes `data` as base64url without `=` padding. The output only contains
// `[A-Za-z0-9_-]`, so it is safe in URLs, JWS compact form and gRPC ASCII
// metadata values.
std::string Base64UrlEncode(absl::string_view data);

// Base64UrlDecode()
//
// Decodes unpadded base64url. Returns `std::nullopt` if `encoded` contains any
// character outside `[A-Za-z0-9_-]` (including `=`, `+`, `/` and whitespace),
// has a length that is 1 mod 4, or has non-zero unused bits in its final
// character. The empty string decodes to the empty string.
std::optional<std::string> Base64UrlDecode(absl::string_view encoded);

}  // namespace council::auth

#endif  // COUNCIL_COMMON_AUTH_BASE64URL_H_
