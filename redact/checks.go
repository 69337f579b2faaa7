// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"strings"
	"unicode/utf8"
)

// checks are the named validators a rule's `check:` can use. Each sees the
// secret (the rule's secret group, escapes decoded) and reports whether it
// is genuine, for example whether its embedded checksum holds. The table is
// read-only after init.
var checks = map[string]func(secret []byte) bool{
	"github-crc32":    checkGitHubCRC32,
	"atlassian-crc32": checkAtlassianCRC32,
	"age-bech32":      checkAgeBech32,
	"jwt":             checkJWT,
	"basic-auth":      checkBasicAuth,
	"openai-marker":   checkOpenAIMarker,
	"groq-marker":     checkGroqMarker,
	"discord-bot":     checkDiscordBot,
	"pypi-macaroon":   checkPyPIMacaroon,
	"b64-json":        checkB64JSON,
	"sentry-org":      checkSentryOrg,
	"grafana-cloud":   checkGrafanaCloud,
	"random":          checkRandom,
	"hex-random":      checkHexRandom,
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62CRC32 encodes crc32(data) in base62, zero-padded to 6 digits: the
// checksum scheme of GitHub's and npm's tokens (github.blog, 2021-04-05).
func base62CRC32(data []byte) [6]byte {
	n := crc32.ChecksumIEEE(data)
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62Alphabet[n%62]
		n /= 62
	}
	return out
}

// checkGitHubCRC32 validates prefix_ + 30 random + 6 checksum tokens
// (ghp_, gho_, ghu_, ghs_, ghr_, npm_): the last 6 characters are the
// base62 CRC32 of the 30 before them.
func checkGitHubCRC32(s []byte) bool {
	if len(s) < 4+30+6 {
		return false
	}
	body, sum := s[len(s)-36:len(s)-6], s[len(s)-6:]
	want := base62CRC32(body)
	return string(sum) == string(want[:])
}

// checkAtlassianCRC32 validates Atlassian Cloud API tokens (ATATT3...) and
// Bitbucket app passwords and access tokens (ATBB..., ATCTT3...): the last
// 8 characters are the uppercase hex CRC32 of everything before them,
// prefix included (CredSweeper's ValueAtlassianTokenCheck; confirmed on
// gitleaks' own test token).
func checkAtlassianCRC32(s []byte) bool {
	if len(s) < 16 {
		return false
	}
	var want [8]byte
	n := crc32.ChecksumIEEE(s[:len(s)-8])
	const hexUpper = "0123456789ABCDEF"
	for i := 7; i >= 0; i-- {
		want[i] = hexUpper[n&15]
		n >>= 4
	}
	return bytes.EqualFold(s[len(s)-8:], want[:])
}

// bech32Charset is BIP 173's alphabet, in value order.
const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// checkAgeBech32 validates an age identity, AGE-SECRET-KEY-1 + 58
// characters: bech32 (BIP 173) with the human-readable part
// "age-secret-key-", upper-cased as a whole.
func checkAgeBech32(s []byte) bool {
	str := strings.ToLower(string(s))
	sep := strings.LastIndexByte(str, '1')
	if sep < 1 || sep+7 > len(str) {
		return false
	}
	hrp, data := str[:sep], str[sep+1:]
	values := make([]byte, 0, len(hrp)*2+1+len(data))
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]>>5)
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]&31)
	}
	for i := 0; i < len(data); i++ {
		v := strings.IndexByte(bech32Charset, data[i])
		if v < 0 {
			return false
		}
		values = append(values, byte(v))
	}
	return bech32Polymod(values) == 1
}

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

// decodeB64Any decodes standard or URL-safe base64, padded or not.
func decodeB64Any(s []byte) ([]byte, bool) {
	t := bytes.TrimRight(s, "=")
	if len(t)%4 == 1 {
		t = t[:len(t)-1] // a stray character: keep the decodable part
	}
	enc := base64.RawStdEncoding
	if bytes.ContainsAny(t, "-_") {
		enc = base64.RawURLEncoding
	}
	out := make([]byte, enc.DecodedLen(len(t)))
	n, err := enc.Decode(out, t)
	if err != nil {
		return nil, false
	}
	return out[:n], true
}

// checkJWT validates a JWS or JWE compact serialization: the header
// decodes to a JSON object naming an algorithm.
func checkJWT(s []byte) bool {
	dot := bytes.IndexByte(s, '.')
	if dot < 0 {
		return false
	}
	head, ok := decodeB64Any(s[:dot])
	if !ok {
		return false
	}
	var h map[string]any
	if json.Unmarshal(head, &h) != nil {
		return false
	}
	_, alg := h["alg"]
	_, enc := h["enc"]
	if !alg && !enc {
		return false
	}
	rest := s[dot+1:]
	if len(rest) < 10 {
		return false // a bare header is not a credential
	}
	// Supabase's anon key is a JWT meant to ship in browsers; it grants
	// only what row-level security allows anyone.
	if d2 := bytes.IndexByte(rest, '.'); d2 > 0 {
		if payload, ok := decodeB64Any(rest[:d2]); ok {
			if bytes.Contains(payload, []byte(`"role":"anon"`)) {
				return false
			}
			// jwt.io's example token, in countless docs and tutorials.
			if bytes.Contains(payload, []byte(`"name":"John Doe"`)) {
				return false
			}
		}
	}
	return true
}

// checkBasicAuth validates HTTP Basic credentials: base64 of user:pass in
// printable UTF-8, with a password that is not a placeholder.
func checkBasicAuth(s []byte) bool {
	dec, ok := decodeB64Any(s)
	if !ok || !utf8.Valid(dec) {
		return false
	}
	dec = bytes.TrimRight(dec, "\r\n") // echo user:pass | base64 adds a newline
	colon := bytes.IndexByte(dec, ':')
	if colon < 0 || colon == len(dec)-1 {
		return false
	}
	for _, c := range dec {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	pass := dec[colon+1:]
	return len(pass) >= 3 && !allowed(pass)
}

// checkOpenAIMarker validates legacy OpenAI keys, which embed "T3BlbkFJ",
// base64 of "OpenAI" (or one of its shifted forms, when the marker does
// not start on a base64 group boundary).
func checkOpenAIMarker(s []byte) bool {
	return bytes.Contains(s, []byte("T3BlbkFJ")) ||
		bytes.Contains(s, []byte("9wZW5BS")) ||
		bytes.Contains(s, []byte("PcGVuQU"))
}

// checkGroqMarker validates Groq keys, which embed "WGdyb3FY", base64 of
// "XgroqX".
func checkGroqMarker(s []byte) bool {
	return bytes.Contains(s, []byte("WGdyb3FY"))
}

// checkDiscordBot validates a Discord bot token: its first part is the
// base64 of the bot's numeric user ID (a snowflake).
func checkDiscordBot(s []byte) bool {
	dot := bytes.IndexByte(s, '.')
	if dot < 0 {
		return false
	}
	id, ok := decodeB64Any(s[:dot])
	if !ok || len(id) < 15 || len(id) > 21 {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// checkPyPIMacaroon validates a PyPI token: pypi- and a base64url
// macaroon whose serialized form starts with version 2 and the location.
func checkPyPIMacaroon(s []byte) bool {
	body, ok := bytes.CutPrefix(s, []byte("pypi-"))
	if !ok {
		return false
	}
	dec, ok := decodeB64Any(body)
	return ok && len(dec) > 16 && dec[0] == 2
}

// checkB64JSON validates tokens that carry base64 JSON after a prefix
// (1Password service accounts, ops_eyJ...): the part from "eyJ" on
// decodes to a JSON object.
func checkB64JSON(s []byte) bool {
	i := bytes.Index(s, []byte("eyJ"))
	if i < 0 {
		return false
	}
	return isB64JSONObject(s[i:])
}

func isB64JSONObject(b []byte) bool {
	dec, ok := decodeB64Any(b)
	if !ok {
		// Some encoders leave a trailing partial group; try without it.
		if len(b) < 8 {
			return false
		}
		if dec, ok = decodeB64Any(b[:len(b)/4*4]); !ok {
			return false
		}
	}
	dec = bytes.TrimSpace(dec)
	if len(dec) < 2 || dec[0] != '{' {
		return false
	}
	var m map[string]any
	if json.Unmarshal(dec, &m) == nil {
		return true
	}
	// Truncated by a partial group: accept a JSON-looking prefix.
	return bytes.Contains(dec[:min(len(dec), 64)], []byte(`":`))
}

// checkSentryOrg validates Sentry org auth tokens: sntrys_ + base64 JSON
// (with "iat") + _ + 43 characters of secret.
func checkSentryOrg(s []byte) bool {
	body, ok := bytes.CutPrefix(s, []byte("sntrys_"))
	if !ok {
		return false
	}
	us := bytes.LastIndexByte(body, '_')
	if us < 0 {
		return false
	}
	dec, ok := decodeB64Any(body[:us])
	return ok && bytes.Contains(dec, []byte(`"iat"`))
}

// checkGrafanaCloud validates Grafana Cloud tokens, glc_ + base64 JSON.
func checkGrafanaCloud(s []byte) bool {
	body, ok := bytes.CutPrefix(s, []byte("glc_"))
	return ok && isB64JSONObject(body)
}

// checkRandom accepts values that look machine-generated: long enough,
// with letters and digits, and without long words. It guards rules whose
// shape alone (a prefix and a charset) also fits identifiers.
func checkRandom(s []byte) bool {
	if len(s) < 8 {
		return false
	}
	lower, upper, digit := classCounts(s)
	if digit == 0 && (lower == 0 || upper == 0) {
		return false
	}
	return entropy(s) >= 3.0
}

// checkHexRandom accepts hex strings that are not trivially regular.
func checkHexRandom(s []byte) bool {
	return len(s) >= 16 && entropy(s) >= 2.8
}
