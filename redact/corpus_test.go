// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

// An independent evaluation corpus, scored the way issue 2 is judged: each
// document goes through Redact on its own; recall is the fraction of planted
// secrets whose value no longer appears in the output in any form, and
// decoys-untouched is the fraction of decoys that appear byte-identical.
//
// Documents are templates in testdata/corpus/*.txt. A file holds documents
// separated by lines "%%% name"; a name that starts with "_" is a fragment,
// rendered only where another document embeds it. The file's name is the
// document's shape (env, k8s, api, ...). In a template:
//
//	{{kind}}         a secret of that kind, generated at test time; the same
//	                 slot in one document is the same value ({{kind#2}} is
//	                 a second value of the same kind)
//	{{@name}}        another document, rendered in place, sharing slots
//	[[%kind]]        a generated decoy: looks like a secret, is not one
//	[[=text]]        a literal decoy (a placeholder, a reference)
//	[[?kind]]        generated filler that is scored neither way
//
// Every slot takes transforms after "|": json (a JSON string's escapes),
// gojson (also \u003c for <, > and &), b64, b64url, url, hex, catn (cat -n),
// readn (an agent's Read tool: "     1→"), indentN, crlf. {{@env|readn|json}}
// is a .env file as it sits in a tool_result.
//
// The generators below are written from the public formats
// (../shared/FORMATS.md), not from the rule set or its samples, so that the
// corpus measures the rules instead of agreeing with them.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"hash/crc32"
	"math/big"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The bar issue 2 sets. At e02525d the built-in rules scored recall 0.988
// and decoys-untouched 0.995 on this corpus (seeds 1-3), so the test holds
// them to the bar itself. (A held-out set, written after the rules were
// tuned to this one and kept out of the repository, scored 0.914 and 1.0:
// these documents are no longer out-of-sample.)
const (
	corpusRecallBar = 0.97
	corpusDecoyBar  = 0.99
	corpusSeeds     = 3 // renderings of every template per run
)

// ---------------------------------------------------------------------------
// Character sets and small helpers.

const (
	cpB62   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	cpB64U  = cpB62 + "_-"
	cpB64S  = cpB62 + "+/"
	cpHex   = "0123456789abcdef"
	cpHexUp = "0123456789ABCDEF"
	cpB32   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	cpLower = "abcdefghijklmnopqrstuvwxyz"
	cpUpAlN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	cpLowAN = "abcdefghijklmnopqrstuvwxyz0123456789"
	cpDigit = "0123456789"
	cpAlpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

func cpStr(r *rand.Rand, set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[r.IntN(len(set))]
	}
	return string(b)
}

func cpBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// cpCRC62 is GitHub's and npm's checksum: crc32 of the random part in
// base62, zero-padded to 6 characters.
func cpCRC62(body string) string {
	n := crc32.ChecksumIEEE([]byte(body))
	out := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		out[i] = cpB62[n%62]
		n /= 62
	}
	return string(out)
}

// cpCRCHex is Atlassian's checksum: uppercase hex crc32 of everything
// before it.
func cpCRCHex(s string) string {
	return fmt.Sprintf("%08X", crc32.ChecksumIEEE([]byte(s)))
}

func cpGitHub(r *rand.Rand, prefix string) string {
	body := cpStr(r, cpB62, 30)
	return prefix + body + cpCRC62(body)
}

// cpBech32 encodes data with a bech32 checksum (BIP 173), as age does.
func cpBech32(hrp string, data []byte) string {
	var conv []byte
	acc, bits := 0, 0
	for _, b := range data {
		acc = acc<<8 | int(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			conv = append(conv, byte(acc>>bits&31))
		}
	}
	if bits > 0 {
		conv = append(conv, byte(acc<<(5-bits)&31))
	}
	gen := []uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	polymod := func(v []byte) uint32 {
		chk := uint32(1)
		for _, x := range v {
			top := chk >> 25
			chk = (chk&0x1ffffff)<<5 ^ uint32(x)
			for i := 0; i < 5; i++ {
				if top>>i&1 == 1 {
					chk ^= gen[i]
				}
			}
		}
		return chk
	}
	var exp []byte
	for _, c := range []byte(hrp) {
		exp = append(exp, c>>5)
	}
	exp = append(exp, 0)
	for _, c := range []byte(hrp) {
		exp = append(exp, c&31)
	}
	pm := polymod(append(append(exp, conv...), 0, 0, 0, 0, 0, 0)) ^ 1
	for i := 0; i < 6; i++ {
		conv = append(conv, byte(pm>>(5*(5-i))&31))
	}
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	out := []byte(hrp + "1")
	for _, c := range conv {
		out = append(out, charset[c])
	}
	return string(out)
}

func cpB64(b []byte) string    { return base64.StdEncoding.EncodeToString(b) }
func cpB64URL(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// cpPassword is a generated password: 16 to 24 characters with symbols
// that survive unquoted in .env, YAML and shell double quotes.
func cpPassword(r *rand.Rand) string {
	const sym = "!%^*-_.+=~:,"
	n := 16 + r.IntN(9)
	b := []byte(cpStr(r, cpB62, n))
	for k := 0; k < 2+r.IntN(3); k++ {
		b[1+r.IntN(n-2)] = sym[r.IntN(len(sym))]
	}
	return string(b)
}

// cpHumanPassword is the kind people choose: words, digits, a symbol.
func cpHumanPassword(r *rand.Rand) string {
	words := []string{"Maple", "Harbor", "Falcon", "orbit", "Cobalt", "river", "Tundra", "Quartz", "velvet", "Saffron",
		"Juniper", "Nimbus", "granite", "Pixel", "Walrus", "Lantern", "mosaic", "Thistle", "Ember", "Koala"}
	syms := []string{"!", "#", "@", "-", "_", "$", ".", "&", "*"}
	w1, w2 := words[r.IntN(len(words))], words[r.IntN(len(words))]
	d := strconv.Itoa(10 + r.IntN(9990))
	s := syms[r.IntN(len(syms))]
	switch r.IntN(3) {
	case 0:
		return w1 + s + w2 + d
	case 1:
		return w1 + w2 + d + s
	default:
		return strings.ToLower(w1) + s + w2 + s + d
	}
}

// ---------------------------------------------------------------------------
// Keys and certificates. RSA generation is slow, so a few keys are made
// once per process and shared; the documents are redacted one at a time,
// so sharing never makes one document's secret appear in another's.

var cpKeys = sync.OnceValue(func() (k struct {
	rsa  []*rsa.PrivateKey
	ec   []*ecdsa.PrivateKey
	cert []string
}) {
	for i := 0; i < 2; i++ {
		key, err := rsa.GenerateKey(cpCryptoRand{}, 2048)
		if err != nil {
			panic(err)
		}
		k.rsa = append(k.rsa, key)
	}
	for i := 0; i < 3; i++ {
		key, err := ecdsa.GenerateKey(elliptic.P256(), cpCryptoRand{})
		if err != nil {
			panic(err)
		}
		k.ec = append(k.ec, key)
	}
	for i, cn := range []string{"api.internal.example.com", "Acme Internal Root CA", "grafana.staging.example.net"} {
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(int64(1000 + i)),
			Subject:               pkix.Name{CommonName: cn, Organization: []string{"Acme Corp"}},
			NotBefore:             time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			NotAfter:              time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
			DNSNames:              []string{cn},
			BasicConstraintsValid: true,
			IsCA:                  i == 1,
		}
		// Each certificate has its own key: a planted private key must
		// not share its public half with a decoy certificate.
		ck, err := ecdsa.GenerateKey(elliptic.P256(), cpCryptoRand{})
		if err != nil {
			panic(err)
		}
		der, err := x509.CreateCertificate(cpCryptoRand{}, tmpl, tmpl, &ck.PublicKey, ck)
		if err != nil {
			panic(err)
		}
		k.cert = append(k.cert, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	}
	return k
})

// cpCryptoRand feeds crypto/rsa and crypto/ecdsa; they draw from the
// system source whatever they are given, so determinism is not possible
// for these keys, and not needed: only their shape matters here.
type cpCryptoRand struct{}

func (cpCryptoRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(rand.Uint32())
	}
	return len(p), nil
}

func cpPEM(typ string, der []byte, headers map[string]string) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Headers: headers, Bytes: der}))
}

// cpOpenSSHKey is an unencrypted ed25519 key in OpenSSH's own format
// (PROTOCOL.key), wrapped at 70 columns as ssh-keygen writes it.
func cpOpenSSHKey(r *rand.Rand) string {
	seed := cpBytes(r, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	str := func(b []byte) []byte {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		return append(n[:], b...)
	}
	pubBlob := append(str([]byte("ssh-ed25519")), str(pub)...)
	check := cpBytes(r, 4)
	var sec []byte
	sec = append(sec, check...)
	sec = append(sec, check...)
	sec = append(sec, str([]byte("ssh-ed25519"))...)
	sec = append(sec, str(pub)...)
	sec = append(sec, str(priv)...)
	sec = append(sec, str([]byte("dev@laptop"))...)
	for i := byte(1); len(sec)%8 != 0; i++ {
		sec = append(sec, i)
	}
	var b []byte
	b = append(b, "openssh-key-v1\x00"...)
	b = append(b, str([]byte("none"))...)
	b = append(b, str([]byte("none"))...)
	b = append(b, str(nil)...)
	b = append(b, 0, 0, 0, 1)
	b = append(b, str(pubBlob)...)
	b = append(b, str(sec)...)
	enc := cpB64(b)
	var sb strings.Builder
	sb.WriteString("-----BEGIN OPENSSH PRIVATE KEY-----\n")
	for len(enc) > 70 {
		sb.WriteString(enc[:70] + "\n")
		enc = enc[70:]
	}
	sb.WriteString(enc + "\n-----END OPENSSH PRIVATE KEY-----\n")
	return sb.String()
}

func cpSSHPub(r *rand.Rand) string {
	priv := ed25519.NewKeyFromSeed(cpBytes(r, ed25519.SeedSize))
	str := func(b []byte) []byte {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		return append(n[:], b...)
	}
	blob := append(str([]byte("ssh-ed25519")), str(priv.Public().(ed25519.PublicKey))...)
	return "ssh-ed25519 " + cpB64(blob) + " " + []string{"dev@laptop", "deploy@ci", "alice@work-mbp"}[r.IntN(3)]
}

// cpEncryptedPKCS8 is a PBES2 (PBKDF2, AES-256-CBC) EncryptedPrivateKeyInfo
// with a random ciphertext of the length an RSA-2048 key has.
func cpEncryptedPKCS8(r *rand.Rand) string {
	type algo struct {
		OID    asn1.ObjectIdentifier
		Params asn1.RawValue `asn1:"optional"`
	}
	raw := func(v any) asn1.RawValue {
		b, err := asn1.Marshal(v)
		if err != nil {
			panic(err)
		}
		return asn1.RawValue{FullBytes: b}
	}
	kdf := algo{OID: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}, Params: raw(struct {
		Salt []byte
		Iter int
		PRF  algo
	}{cpBytes(r, 16), 2048, algo{OID: asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}, Params: asn1.NullRawValue}})}
	enc := algo{OID: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}, Params: raw(cpBytes(r, 16))}
	info := struct {
		Algo algo
		Data []byte
	}{algo{OID: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}, Params: raw(struct{ KDF, Enc algo }{kdf, enc})}, cpBytes(r, 1232)}
	der, err := asn1.Marshal(info)
	if err != nil {
		panic(err)
	}
	return cpPEM("ENCRYPTED PRIVATE KEY", der, nil)
}

// cpPGPPrivate is an ASCII-armored secret key block with a CRC-24 line.
func cpPGPPrivate(r *rand.Rand) string {
	body := []byte{0x95, 0x03, 0xc6, 0x04}
	body = append(body, cpBytes(r, 4)...)
	body = append(body, 0x01, 0x08, 0x00)
	body = append(body, cpBytes(r, 900)...)
	crc := uint32(0xB704CE)
	for _, c := range body {
		crc ^= uint32(c) << 16
		for i := 0; i < 8; i++ {
			crc <<= 1
			if crc&0x1000000 != 0 {
				crc ^= 0x1864CFB
			}
		}
	}
	crc &= 0xFFFFFF
	enc := cpB64(body)
	var sb strings.Builder
	sb.WriteString("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n")
	for len(enc) > 64 {
		sb.WriteString(enc[:64] + "\n")
		enc = enc[64:]
	}
	sb.WriteString(enc + "\n=" + cpB64([]byte{byte(crc >> 16), byte(crc >> 8), byte(crc)}) + "\n-----END PGP PRIVATE KEY BLOCK-----\n")
	return sb.String()
}

func cpJWT(r *rand.Rand) string {
	now := 1767225600 + r.IntN(20000000)
	var header, payload string
	var sig []byte
	switch r.IntN(3) {
	case 0:
		header = `{"alg":"HS256","typ":"JWT"}`
		payload = fmt.Sprintf(`{"sub":"%d","name":"Dana Whitfield","role":"admin","iat":%d,"exp":%d}`, r.IntN(100000), now, now+3600)
		m := hmac.New(sha256.New, cpBytes(r, 32))
		m.Write([]byte(cpB64URL([]byte(header)) + "." + cpB64URL([]byte(payload))))
		sig = m.Sum(nil)
	case 1:
		header = fmt.Sprintf(`{"alg":"RS256","typ":"JWT","kid":"%s"}`, cpStr(r, cpB64U, 27))
		payload = fmt.Sprintf(`{"iss":"https://acme.us.auth0.com/","sub":"auth0|%s","aud":["https://api.acme.io","https://acme.us.auth0.com/userinfo"],"iat":%d,"exp":%d,"scope":"openid profile email read:orders","azp":"%s"}`,
			cpStr(r, cpHex, 24), now, now+86400, cpStr(r, cpB62, 32))
		sig = cpBytes(r, 256)
	default:
		header = `{"alg":"HS256","typ":"JWT"}`
		payload = fmt.Sprintf(`{"iss":"supabase","ref":"%s","role":"service_role","iat":%d,"exp":%d}`, cpStr(r, cpLower, 20), now, now+315360000)
		sig = cpBytes(r, 32)
	}
	return cpB64URL([]byte(header)) + "." + cpB64URL([]byte(payload)) + "." + cpB64URL(sig)
}

// ---------------------------------------------------------------------------
// Secret generators. core is what must not survive even in part (for a
// webhook URL, its token); empty means the whole value.

type cpValue struct{ val, core string }

var cpSecretGens = map[string]func(r *rand.Rand) cpValue{
	// VCS.
	"github-pat":     func(r *rand.Rand) cpValue { return cpValue{val: cpGitHub(r, "ghp_")} },
	"github-oauth":   func(r *rand.Rand) cpValue { return cpValue{val: cpGitHub(r, "gho_")} },
	"github-app":     func(r *rand.Rand) cpValue { return cpValue{val: cpGitHub(r, "ghs_")} },
	"github-user":    func(r *rand.Rand) cpValue { return cpValue{val: cpGitHub(r, "ghu_")} },
	"github-refresh": func(r *rand.Rand) cpValue { return cpValue{val: cpGitHub(r, "ghr_")} },
	"github-fine": func(r *rand.Rand) cpValue {
		return cpValue{val: "github_pat_11" + cpStr(r, cpUpAlN, 20) + "_" + cpStr(r, cpB62, 59)}
	},
	"gitlab-pat":    func(r *rand.Rand) cpValue { return cpValue{val: "glpat-" + cpStr(r, cpB64U, 20)} },
	"gitlab-runner": func(r *rand.Rand) cpValue { return cpValue{val: "glrt-" + cpStr(r, cpB64U, 20)} },
	"gitlab-deploy": func(r *rand.Rand) cpValue { return cpValue{val: "gldt-" + cpStr(r, cpB64U, 20)} },
	"bitbucket-app": func(r *rand.Rand) cpValue {
		s := "ATBB" + cpStr(r, cpB62, 24)
		return cpValue{val: s + cpCRCHex(s)}
	},
	"atlassian": func(r *rand.Rand) cpValue {
		s := "ATATT3xFfGF0" + cpStr(r, cpB64U, 171) + "="
		return cpValue{val: s + cpCRCHex(s)}
	},
	// Cloud.
	"aws-access-key": func(r *rand.Rand) cpValue { return cpValue{val: "AKIA" + cpStr(r, cpB32, 16)} },
	"aws-sts-key":    func(r *rand.Rand) cpValue { return cpValue{val: "ASIA" + cpStr(r, cpB32, 16)} },
	"aws-secret":     func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpB64S, 40)} },
	"aws-session": func(r *rand.Rand) cpValue {
		return cpValue{val: "IQoJb3JpZ2luX2VjE" + cpStr(r, cpB64S, 600+r.IntN(300)) + "="}
	},
	"gcp-api-key":      func(r *rand.Rand) cpValue { return cpValue{val: "AIzaSy" + cpStr(r, cpB64U, 33)} },
	"gcp-oauth-secret": func(r *rand.Rand) cpValue { return cpValue{val: "GOCSPX-" + cpStr(r, cpB64U, 28)} },
	"google-access":    func(r *rand.Rand) cpValue { return cpValue{val: "ya29.a0" + cpStr(r, cpB64U, 160+r.IntN(60))} },
	"google-refresh":   func(r *rand.Rand) cpValue { return cpValue{val: "1//0" + cpStr(r, cpB64U, 99)} },
	"azure-storage-key": func(r *rand.Rand) cpValue {
		return cpValue{val: cpB64(cpBytes(r, 64))}
	},
	"azure-ad-secret": func(r *rand.Rand) cpValue {
		return cpValue{val: cpStr(r, cpAlpha, 3) + strconv.Itoa(r.IntN(10)) + "Q~" + cpStr(r, cpB62+"_~.-", 34)}
	},
	"azure-sas-sig": func(r *rand.Rand) cpValue {
		return cpValue{val: url.QueryEscape(cpB64(cpBytes(r, 32)))}
	},
	// AI providers.
	"openai-project": func(r *rand.Rand) cpValue {
		return cpValue{val: "sk-proj-" + cpStr(r, cpB64U, 74) + "T3BlbkFJ" + cpStr(r, cpB64U, 74)}
	},
	"openai-svcacct": func(r *rand.Rand) cpValue {
		return cpValue{val: "sk-svcacct-" + cpStr(r, cpB64U, 74) + "T3BlbkFJ" + cpStr(r, cpB64U, 74)}
	},
	"openai-legacy": func(r *rand.Rand) cpValue {
		return cpValue{val: "sk-" + cpStr(r, cpB62, 20) + "T3BlbkFJ" + cpStr(r, cpB62, 20)}
	},
	"anthropic":       func(r *rand.Rand) cpValue { return cpValue{val: "sk-ant-api03-" + cpStr(r, cpB64U, 93) + "AA"} },
	"anthropic-admin": func(r *rand.Rand) cpValue { return cpValue{val: "sk-ant-admin01-" + cpStr(r, cpB64U, 93) + "AA"} },
	"huggingface":     func(r *rand.Rand) cpValue { return cpValue{val: "hf_" + cpStr(r, cpAlpha, 34)} },
	"groq": func(r *rand.Rand) cpValue {
		return cpValue{val: "gsk_" + cpStr(r, cpB62, 20) + "WGdyb3FY" + cpStr(r, cpB62, 24)}
	},
	"replicate":  func(r *rand.Rand) cpValue { return cpValue{val: "r8_" + cpStr(r, cpB62, 37)} },
	"xai":        func(r *rand.Rand) cpValue { return cpValue{val: "xai-" + cpStr(r, cpB62, 80)} },
	"perplexity": func(r *rand.Rand) cpValue { return cpValue{val: "pplx-" + cpStr(r, cpB62, 48)} },
	"openrouter": func(r *rand.Rand) cpValue { return cpValue{val: "sk-or-v1-" + cpStr(r, cpHex, 64)} },
	"mistral":    func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpB62, 32)} },
	"wandb":      func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpHex, 40)} },
	"langsmith": func(r *rand.Rand) cpValue {
		return cpValue{val: "lsv2_pt_" + cpStr(r, cpHex, 32) + "_" + cpStr(r, cpHex, 10)}
	},
	// Payments and messaging.
	"stripe-secret":     func(r *rand.Rand) cpValue { return cpValue{val: "sk_live_51" + cpStr(r, cpB62, 97)} },
	"stripe-test":       func(r *rand.Rand) cpValue { return cpValue{val: "sk_test_51" + cpStr(r, cpB62, 97)} },
	"stripe-restricted": func(r *rand.Rand) cpValue { return cpValue{val: "rk_live_51" + cpStr(r, cpB62, 97)} },
	"stripe-webhook":    func(r *rand.Rand) cpValue { return cpValue{val: "whsec_" + cpStr(r, cpB62, 32)} },
	"slack-bot": func(r *rand.Rand) cpValue {
		return cpValue{val: "xoxb-" + cpStr(r, cpDigit, 12) + "-" + cpStr(r, cpDigit, 13) + "-" + cpStr(r, cpB62, 24)}
	},
	"slack-user": func(r *rand.Rand) cpValue {
		return cpValue{val: "xoxp-" + cpStr(r, cpDigit, 12) + "-" + cpStr(r, cpDigit, 12) + "-" + cpStr(r, cpDigit, 13) + "-" + cpStr(r, cpHex, 32)}
	},
	"slack-webhook": func(r *rand.Rand) cpValue {
		tok := cpStr(r, cpB62, 24)
		return cpValue{val: "https://hooks.slack.com/services/T" + cpStr(r, cpUpAlN, 8) + "/B" + cpStr(r, cpUpAlN, 10) + "/" + tok, core: tok}
	},
	"discord-webhook": func(r *rand.Rand) cpValue {
		tok := cpStr(r, cpB64U, 68)
		return cpValue{val: "https://discord.com/api/webhooks/1" + cpStr(r, cpDigit, 18) + "/" + tok, core: tok}
	},
	"telegram": func(r *rand.Rand) cpValue {
		return cpValue{val: "6" + cpStr(r, cpDigit, 9) + ":AA" + cpStr(r, cpB64U, 33)}
	},
	"twilio-key":  func(r *rand.Rand) cpValue { return cpValue{val: "SK" + cpStr(r, cpHex, 32)} },
	"twilio-auth": func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpHex, 32)} },
	"sendgrid": func(r *rand.Rand) cpValue {
		return cpValue{val: "SG." + cpStr(r, cpB64U, 22) + "." + cpStr(r, cpB64U, 43)}
	},
	"mailgun": func(r *rand.Rand) cpValue { return cpValue{val: "key-" + cpStr(r, cpHex, 32)} },
	// Registries.
	"npm":       func(r *rand.Rand) cpValue { return cpValue{val: cpGitHub(r, "npm_")} },
	"pypi":      func(r *rand.Rand) cpValue { return cpValue{val: "pypi-AgEIcHlwaS5vcmcCJ" + cpStr(r, cpB64U, 155)} },
	"dockerhub": func(r *rand.Rand) cpValue { return cpValue{val: "dckr_pat_" + cpStr(r, cpB64U, 27)} },
	"rubygems":  func(r *rand.Rand) cpValue { return cpValue{val: "rubygems_" + cpStr(r, cpHex, 48)} },
	"nuget":     func(r *rand.Rand) cpValue { return cpValue{val: "oy2" + cpStr(r, cpLowAN, 43)} },
	// Infrastructure and SaaS.
	"vault": func(r *rand.Rand) cpValue { return cpValue{val: "hvs.CAESI" + cpStr(r, cpB64U, 86)} },
	"tfc": func(r *rand.Rand) cpValue {
		return cpValue{val: cpStr(r, cpB62, 14) + ".atlasv1." + cpStr(r, cpB62, 67)}
	},
	"digitalocean": func(r *rand.Rand) cpValue { return cpValue{val: "dop_v1_" + cpStr(r, cpHex, 64)} },
	"heroku":       func(r *rand.Rand) cpValue { return cpValue{val: "HRKU-AA" + cpStr(r, cpB64U, 58)} },
	"databricks":   func(r *rand.Rand) cpValue { return cpValue{val: "dapi" + cpStr(r, cpHex, 32)} },
	"sentry-user":  func(r *rand.Rand) cpValue { return cpValue{val: "sntryu_" + cpStr(r, cpHex, 64)} },
	"shopify":      func(r *rand.Rand) cpValue { return cpValue{val: "shpat_" + cpStr(r, cpHex, 32)} },
	"linear":       func(r *rand.Rand) cpValue { return cpValue{val: "lin_api_" + cpStr(r, cpB62, 40)} },
	"notion":       func(r *rand.Rand) cpValue { return cpValue{val: "ntn_" + cpStr(r, cpDigit, 11) + cpStr(r, cpB62, 35)} },
	"supabase-pat": func(r *rand.Rand) cpValue { return cpValue{val: "sbp_" + cpStr(r, cpHex, 40)} },
	"vercel":       func(r *rand.Rand) cpValue { return cpValue{val: "vcp_" + cpStr(r, cpB62, 56)} },
	"planetscale":  func(r *rand.Rand) cpValue { return cpValue{val: "pscale_pw_" + cpStr(r, cpB64U, 43)} },
	"doppler":      func(r *rand.Rand) cpValue { return cpValue{val: "dp.st.prd." + cpStr(r, cpB62, 43)} },
	"postman": func(r *rand.Rand) cpValue {
		return cpValue{val: "PMAK-" + cpStr(r, cpHex, 24) + "-" + cpStr(r, cpHex, 34)}
	},
	"grafana": func(r *rand.Rand) cpValue {
		return cpValue{val: "glsa_" + cpStr(r, cpB62, 32) + "_" + cpStr(r, cpHex, 8)}
	},
	"buildkite": func(r *rand.Rand) cpValue { return cpValue{val: "bkua_" + cpStr(r, cpHex, 40)} },
	"mapbox-secret": func(r *rand.Rand) cpValue {
		return cpValue{val: "sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6I" + cpStr(r, cpB62, 20) + "." + cpStr(r, cpB64U, 22)}
	},
	"okta": func(r *rand.Rand) cpValue { return cpValue{val: "00" + cpStr(r, cpB64U, 40)} },
	"slack-app": func(r *rand.Rand) cpValue {
		return cpValue{val: "xapp-1-A0" + cpStr(r, cpUpAlN, 9) + "-" + cpStr(r, cpDigit, 13) + "-" + cpStr(r, cpHex, 64)}
	},
	"sonarqube": func(r *rand.Rand) cpValue { return cpValue{val: "squ_" + cpStr(r, cpHex, 40)} },
	"pulumi":    func(r *rand.Rand) cpValue { return cpValue{val: "pul-" + cpStr(r, cpHex, 40)} },
	"newrelic":  func(r *rand.Rand) cpValue { return cpValue{val: "NRAK-" + cpStr(r, cpUpAlN, 27)} },
	"onepassword": func(r *rand.Rand) cpValue {
		j := fmt.Sprintf(`{"signInAddress":"my.1password.com","userAuth":{"method":"SRPg-4096","alg":"PBES2g-HS256","iterations":650000,"salt":"%s"},"email":"%s@1passwordserviceaccounts.com","srpX":"%s","muk":{"alg":"A256GCM","ext":true,"k":"%s","key_ops":["encrypt","decrypt"],"kty":"oct","kid":"mp"},"secretKey":"A3-%s-%s-%s-%s-%s","throttleSecret":{"seed":"%s","deviceUuid":"%s"},"deviceUuid":"%s"}`,
			cpStr(r, cpB64U, 22), cpStr(r, cpLowAN, 13), cpStr(r, cpHex, 64), cpStr(r, cpB64U, 43),
			cpStr(r, cpUpAlN, 6), cpStr(r, cpUpAlN, 11), cpStr(r, cpUpAlN, 5), cpStr(r, cpUpAlN, 5), cpStr(r, cpUpAlN, 5),
			cpStr(r, cpHex, 64), cpStr(r, cpLowAN, 26), cpStr(r, cpLowAN, 26))
		return cpValue{val: "ops_" + base64.RawStdEncoding.EncodeToString([]byte(j))}
	},
	"age": func(r *rand.Rand) cpValue {
		return cpValue{val: strings.ToUpper(cpBech32("age-secret-key-", cpBytes(r, 32)))}
	},
	"datadog-api": func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpHex, 32)} },
	"datadog-app": func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpHex, 40)} },
	"cloudflare":  func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpB64U, 40)} },
	// Keys.
	"pem-rsa": func(r *rand.Rand) cpValue {
		return cpValue{val: cpPEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(cpKeys().rsa[r.IntN(2)]), nil)}
	},
	"pem-pkcs8": func(r *rand.Rand) cpValue {
		var key any = cpKeys().rsa[r.IntN(2)]
		if r.IntN(2) == 0 {
			key = cpKeys().ec[r.IntN(3)]
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			panic(err)
		}
		return cpValue{val: cpPEM("PRIVATE KEY", der, nil)}
	},
	"pem-ec": func(r *rand.Rand) cpValue {
		der, err := x509.MarshalECPrivateKey(cpKeys().ec[r.IntN(3)])
		if err != nil {
			panic(err)
		}
		return cpValue{val: cpPEM("EC PRIVATE KEY", der, nil)}
	},
	"pem-openssh":   func(r *rand.Rand) cpValue { return cpValue{val: cpOpenSSHKey(r)} },
	"pem-encrypted": func(r *rand.Rand) cpValue { return cpValue{val: cpEncryptedPKCS8(r)} },
	"pem-rsa-legacy-enc": func(r *rand.Rand) cpValue {
		return cpValue{val: cpPEM("RSA PRIVATE KEY", cpBytes(r, 1200), map[string]string{
			"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC," + cpStr(r, cpHexUp, 32)})}
	},
	"pem-pgp": func(r *rand.Rand) cpValue { return cpValue{val: cpPGPPrivate(r)} },
	// Generic.
	"jwt":            func(r *rand.Rand) cpValue { return cpValue{val: cpJWT(r)} },
	"password":       func(r *rand.Rand) cpValue { return cpValue{val: cpPassword(r)} },
	"password-human": func(r *rand.Rand) cpValue { return cpValue{val: cpHumanPassword(r)} },
	"passphrase": func(r *rand.Rand) cpValue {
		words := []string{"copper", "lantern", "drift", "maple", "orbit", "velvet", "quarry", "thistle", "harbor", "ember", "glacier", "saffron", "tundra", "mosaic"}
		w := make([]string, 4)
		for i := range w {
			w[i] = words[r.IntN(len(words))]
		}
		return cpValue{val: strings.Join(w, []string{" ", "-"}[r.IntN(2)]) + strconv.Itoa(r.IntN(100))}
	},
	"password-url": func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpB62, 14+r.IntN(10))} },
	"basic-auth": func(r *rand.Rand) cpValue {
		user := []string{"deploy", "ci-bot", "svc-reporting", "admin", "jenkins"}[r.IntN(5)]
		return cpValue{val: cpB64([]byte(user + ":" + cpStr(r, cpB62, 20)))}
	},
	"api-key":     func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpB62, 32+r.IntN(9))} },
	"uuid-token":  func(r *rand.Rand) cpValue { return cpValue{val: cpDecoyGens["uuid"](r)} },
	"routing-key": func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpHex, 32)} },
	"hex-secret":  func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpHex, 64)} },
	"hex128":      func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpHex, 128)} },
	"django-key":  func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpLowAN+"!@%^&*(-_=+)", 50)} },
	"laravel-key": func(r *rand.Rand) cpValue { return cpValue{val: "base64:" + cpB64(cpBytes(r, 32))} },
	"b64-key":     func(r *rand.Rand) cpValue { return cpValue{val: cpB64(cpBytes(r, 32))} },
	"session":     func(r *rand.Rand) cpValue { return cpValue{val: cpStr(r, cpB64U, 43)} },
}

// ---------------------------------------------------------------------------
// Decoy generators: public or non-secret values that look like secrets.

var cpDecoyGens = map[string]func(r *rand.Rand) string{
	"uuid": func(r *rand.Rand) string {
		b := cpBytes(r, 16)
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		h := hex.EncodeToString(b)
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	},
	"sha1":         func(r *rand.Rand) string { return cpStr(r, cpHex, 40) },
	"sha256":       func(r *rand.Rand) string { return cpStr(r, cpHex, 64) },
	"md5":          func(r *rand.Rand) string { return cpStr(r, cpHex, 32) },
	"short-sha":    func(r *rand.Rand) string { return cpStr(r, cpHex, 7) },
	"image-digest": func(r *rand.Rand) string { return "sha256:" + cpStr(r, cpHex, 64) },
	"sri384":       func(r *rand.Rand) string { return "sha384-" + cpB64(cpBytes(r, 48)) },
	"sri512":       func(r *rand.Rand) string { return "sha512-" + cpB64(cpBytes(r, 64)) },
	"gosum":        func(r *rand.Rand) string { return "h1:" + cpB64(cpBytes(r, 32)) },
	"tf-zh":        func(r *rand.Rand) string { return "zh:" + cpStr(r, cpHex, 64) },
	"stripe-pk":    func(r *rand.Rand) string { return "pk_live_51" + cpStr(r, cpB62, 97) },
	"stripe-pk-test": func(r *rand.Rand) string {
		return "pk_test_51" + cpStr(r, cpB62, 97)
	},
	"google-client-id": func(r *rand.Rand) string {
		return cpStr(r, cpDigit, 12) + "-" + cpStr(r, cpLowAN, 32) + ".apps.googleusercontent.com"
	},
	"github-client-id": func(r *rand.Rand) string { return "Iv1." + cpStr(r, cpHex, 16) },
	"oauth-client-id":  func(r *rand.Rand) string { return cpStr(r, cpB62, 32) },
	"pem-cert":         func(r *rand.Rand) string { return cpKeys().cert[r.IntN(3)] },
	"pem-pubkey": func(r *rand.Rand) string {
		var pub any = &cpKeys().rsa[r.IntN(2)].PublicKey
		if r.IntN(2) == 0 {
			pub = &cpKeys().ec[r.IntN(3)].PublicKey
		}
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			panic(err)
		}
		return cpPEM("PUBLIC KEY", der, nil)
	},
	"pem-rsa-pubkey": func(r *rand.Rand) string {
		return cpPEM("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&cpKeys().rsa[r.IntN(2)].PublicKey), nil)
	},
	"ssh-pub": cpSSHPub,
	"ssh-fingerprint": func(r *rand.Rand) string {
		return "SHA256:" + base64.RawStdEncoding.EncodeToString(cpBytes(r, 32))
	},
	"b64-json": func(r *rand.Rand) string {
		return cpB64([]byte(fmt.Sprintf(`{"kind":"feature-flags","rollout":%d,"regions":["eu-west-1","us-east-1"],"owner":"platform"}`, r.IntN(100))))
	},
	"b64-text": func(r *rand.Rand) string {
		return cpB64([]byte([]string{"server {\n  listen 8080;\n  location / { proxy_pass http://app:3000; }\n}\n",
			"log_level=info\nworkers=4\nqueue=default\n", "#!/bin/sh\nexec /app/server --port 8080\n"}[r.IntN(3)]))
	},
	"cursor": func(r *rand.Rand) string {
		return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"last_id":%d,"ts":%d}`, r.IntN(1e6), 1760000000+r.IntN(1e7))))
	},
	"png-b64": func(r *rand.Rand) string {
		return cpB64(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), cpBytes(r, 180)...))
	},
	"msg-id":   func(r *rand.Rand) string { return "msg_01" + cpStr(r, cpB62, 22) },
	"toolu-id": func(r *rand.Rand) string { return "toolu_01" + cpStr(r, cpB62, 22) },
	"call-id":  func(r *rand.Rand) string { return "call_" + cpStr(r, cpB62, 24) },
	"chatcmpl": func(r *rand.Rand) string { return "chatcmpl-" + cpStr(r, cpB62, 29) },
	"req-id":   func(r *rand.Rand) string { return "req_" + cpStr(r, cpB62, 24) },
	"file-id":  func(r *rand.Rand) string { return "file-" + cpStr(r, cpB62, 22) },
	"stripe-obj": func(r *rand.Rand) string {
		return []string{"cus_", "pi_3", "price_1", "evt_1", "acct_1"}[r.IntN(5)] + cpStr(r, cpB62, 24)
	},
	"trace-id": func(r *rand.Rand) string { return cpStr(r, cpHex, 32) },
	"span-id":  func(r *rand.Rand) string { return cpStr(r, cpHex, 16) },
	"ulid":     func(r *rand.Rand) string { return "01J" + cpStr(r, "0123456789ABCDEFGHJKMNPQRSTVWXYZ", 23) },
	"arn": func(r *rand.Rand) string {
		return "arn:aws:iam::" + cpStr(r, cpDigit, 12) + ":role/" + []string{"github-actions-deploy", "eks-node-role", "lambda-exec"}[r.IntN(3)]
	},
	"aws-account": func(r *rand.Rand) string { return cpStr(r, cpDigit, 12) },
	"ec2-id": func(r *rand.Rand) string {
		return []string{"i-0", "vpc-0", "subnet-0", "sg-0", "ami-0"}[r.IntN(5)] + cpStr(r, cpHex, 16)
	},
	"gh-node-id": func(r *rand.Rand) string {
		return []string{"R_kgDO", "I_kwDO", "PR_kwDO", "MDQ6VXNlcj"}[r.IntN(4)] + cpStr(r, cpB64U, 12)
	},
	"dpl-id": func(r *rand.Rand) string { return "dpl_" + cpStr(r, cpB62, 28) },
	"etag":   func(r *rand.Rand) string { return `W/"` + cpStr(r, cpHex, 32) + `"` },
	"docker-layer": func(r *rand.Rand) string {
		return cpStr(r, cpHex, 12)
	},
	"gpg-fpr":    func(r *rand.Rand) string { return cpStr(r, cpHexUp, 40) },
	"build-id":   func(r *rand.Rand) string { return cpStr(r, cpDigit, 10) },
	"slack-chan": func(r *rand.Rand) string { return "C0" + cpStr(r, cpUpAlN, 9) },
	"k8s-rv":     func(r *rand.Rand) string { return cpStr(r, cpDigit, 8) },
	"sb-publishable": func(r *rand.Rand) string {
		return "sb_publishable_" + cpStr(r, cpB64U, 31)
	},
	"email": func(r *rand.Rand) string {
		return []string{"dana", "ops", "mlee", "j.ortiz"}[r.IntN(4)] + "@" + []string{"acme.io", "example.com", "corp.internal"}[r.IntN(3)]
	},
	"sops": func(r *rand.Rand) string {
		return "ENC[AES256_GCM,data:" + cpB64(cpBytes(r, 24)) + ",iv:" + cpB64(cpBytes(r, 32)) + ",tag:" + cpB64(cpBytes(r, 16)) + ",type:str]"
	},
	"ansible-vault": func(r *rand.Rand) string {
		var sb strings.Builder
		sb.WriteString("$ANSIBLE_VAULT;1.1;AES256")
		for i := 0; i < 5; i++ {
			sb.WriteString("\n  " + cpStr(r, cpHex, 80))
		}
		return sb.String()
	},
	"amz-id2": func(r *rand.Rand) string { return cpB64(cpBytes(r, 57)) },
	"amz-cf-id": func(r *rand.Rand) string {
		return base64.URLEncoding.EncodeToString(cpBytes(r, 42))
	},
	"amz-trace": func(r *rand.Rand) string {
		return "Root=1-" + strconv.FormatInt(int64(1760000000+r.IntN(1e7)), 16) + "-" + cpStr(r, cpHex, 24)
	},
	"stripe-sig": func(r *rand.Rand) string {
		return "t=" + strconv.Itoa(1760000000+r.IntN(1e7)) + ",v1=" + cpStr(r, cpHex, 64)
	},
	"cosign-sig": func(r *rand.Rand) string { return "MEUCIQ" + cpB64(cpBytes(r, 66)) },
	"lfs-oid":    func(r *rand.Rand) string { return "oid sha256:" + cpStr(r, cpHex, 64) },
	"csp-nonce":  func(r *rand.Rand) string { return cpB64(cpBytes(r, 16)) },
	// Opaque values model APIs hand back to be resent: never secrets, and
	// redacting them breaks the conversation.
	"thinking-sig": func(r *rand.Rand) string {
		return "EqQB" + cpB64(cpBytes(r, 240+r.IntN(300)))
	},
	"encrypted-content": func(r *rand.Rand) string {
		return "gAAAAABo" + base64.URLEncoding.EncodeToString(cpBytes(r, 600+r.IntN(400)))
	},
	"pdf-b64": func(r *rand.Rand) string {
		return cpB64(append([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"), cpBytes(r, 300)...))
	},
	"source-map": func(r *rand.Rand) string {
		var sb strings.Builder
		for i := 0; i < 60; i++ {
			if i > 0 {
				sb.WriteString([]string{",", ";", ","}[r.IntN(3)])
			}
			sb.WriteString(cpStr(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 4+r.IntN(4)))
		}
		return sb.String()
	},
	"ssh-rsa-pub": func(r *rand.Rand) string {
		k := &cpKeys().rsa[r.IntN(2)].PublicKey
		str := func(b []byte) []byte {
			var n [4]byte
			binary.BigEndian.PutUint32(n[:], uint32(len(b)))
			return append(n[:], b...)
		}
		e := big.NewInt(int64(k.E)).Bytes()
		nb := append([]byte{0}, k.N.Bytes()...)
		blob := append(append(str([]byte("ssh-rsa")), str(e)...), str(nb)...)
		return "ssh-rsa " + cpB64(blob) + " ci@build-agent"
	},
	"age-pub":     func(r *rand.Rand) string { return cpBech32("age", cpBytes(r, 32)) },
	"eth-address": func(r *rand.Rand) string { return "0x" + cpStr(r, cpHex+"ABCDEF", 40) },
	"csr": func(r *rand.Rand) string {
		der, err := x509.CreateCertificateRequest(cpCryptoRand{}, &x509.CertificateRequest{
			Subject: pkix.Name{CommonName: "api.acme.io"}}, cpKeys().ec[r.IntN(3)])
		if err != nil {
			panic(err)
		}
		return cpPEM("CERTIFICATE REQUEST", der, nil)
	},
	"pgp-signature": func(r *rand.Rand) string {
		body := cpB64(append([]byte{0x88, 0x75, 0x04, 0x00, 0x16, 0x0a}, cpBytes(r, 111)...))
		return "-----BEGIN PGP SIGNATURE-----\n\n" + body[:64] + "\n" + body[64:] + "\n=" + cpStr(r, cpB62, 4) + "\n-----END PGP SIGNATURE-----"
	},
	"mapbox-public": func(r *rand.Rand) string {
		return "pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6I" + cpStr(r, cpB62, 20) + "." + cpStr(r, cpB64U, 22)
	},
	"posthog-public": func(r *rand.Rand) string { return "phc_" + cpStr(r, cpB62, 43) },
	"recaptcha-site": func(r *rand.Rand) string { return "6Lc" + cpStr(r, cpB64U, 37) },
	"nonce-hex":      func(r *rand.Rand) string { return cpStr(r, cpHex, 24) },
	// A SealedSecret's ciphertext is made to be committed.
	"sealed": func(r *rand.Rand) string { return "AgB" + cpB64(cpBytes(r, 420)) },
}

// Neutral fillers: values whose status is debatable (an Account SID, a
// key's id) or that need a shape without a verdict.
var cpFillerGens = map[string]func(r *rand.Rand) string{
	"twilio-sid": func(r *rand.Rand) string { return "AC" + cpStr(r, cpHex, 32) },
	"uuid":       func(r *rand.Rand) string { return cpDecoyGens["uuid"](r) },
	"b64-user": func(r *rand.Rand) string {
		return cpB64([]byte([]string{"git-sync", "admin", "deploy-bot"}[r.IntN(3)]))
	},
	"nonce":  func(r *rand.Rand) string { return cpStr(r, cpB64U, 32) },
	"hex40":  func(r *rand.Rand) string { return cpStr(r, cpHex, 40) },
	"digits": func(r *rand.Rand) string { return cpStr(r, cpDigit, 21) },
	"b62-8":  func(r *rand.Rand) string { return cpStr(r, cpB62, 8) },
	"lower8": func(r *rand.Rand) string { return cpStr(r, cpLowAN, 8) },
	"port":   func(r *rand.Rand) string { return strconv.Itoa(1024 + r.IntN(60000)) },
	"project": func(r *rand.Rand) string {
		return []string{"acme-prod", "billing-staging-4821", "ml-sandbox"}[r.IntN(3)]
	},
	"sentry-dsn": func(r *rand.Rand) string {
		return "https://" + cpStr(r, cpHex, 32) + "@o" + cpStr(r, cpDigit, 6) + ".ingest.sentry.io/" + cpStr(r, cpDigit, 7)
	},
	"bcrypt":   func(r *rand.Rand) string { return "$2b$12$" + cpStr(r, cpB62+"./", 53) },
	"cert-b64": func(r *rand.Rand) string { return cpB64([]byte(cpKeys().cert[r.IntN(3)])) },
}

// ---------------------------------------------------------------------------
// Templates.

type cpTemplate struct {
	name, shape, text string
	fragment          bool
}

func cpLoadTemplates(t testing.TB) map[string]*cpTemplate {
	t.Helper()
	dir := filepath.Join("testdata", "corpus")
	if d := os.Getenv("HUSH_CORPUS_TEMPLATES"); d != "" {
		// Another template set, such as a held-out one kept outside
		// the repository so that rules cannot be tuned to it.
		dir = d
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus templates: %v", err)
	}
	out := map[string]*cpTemplate{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		shape := strings.TrimSuffix(filepath.Base(f), ".txt")
		var cur *cpTemplate
		var body []string
		flush := func() {
			if cur == nil {
				return
			}
			for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
				body = body[:len(body)-1]
			}
			cur.text = strings.Join(body, "\n") + "\n"
			if _, dup := out[cur.name]; dup {
				t.Fatalf("%s: duplicate document %q", f, cur.name)
			}
			out[cur.name] = cur
		}
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "%%% "); ok {
				flush()
				name = strings.TrimSpace(name)
				cur = &cpTemplate{name: name, shape: shape, fragment: strings.HasPrefix(name, "_")}
				body = nil
				continue
			}
			if cur != nil {
				body = append(body, line)
			}
		}
		flush()
	}
	return out
}

// ---------------------------------------------------------------------------
// Rendering.

// A cpPlant is one planted secret in one document.
type cpPlant struct {
	Kind  string   `json:"kind"`
	Slot  string   `json:"slot"`
	Value string   `json:"value"`
	Core  string   `json:"core"`
	Forms []string `json:"forms"` // as each occurrence was emitted
}

// A cpDecoy is one decoy in one document.
type cpDecoy struct {
	Kind  string   `json:"kind"`
	Label string   `json:"label"` // for literals, the text (never a secret)
	Forms []string `json:"forms"`
}

type cpDoc struct {
	Name   string     `json:"name"`
	Shape  string     `json:"shape"`
	Text   string     `json:"-"`
	Plants []*cpPlant `json:"plants"`
	Decoys []*cpDecoy `json:"decoys"`
}

type cpOcc struct {
	plant      *cpPlant
	decoy      *cpDecoy
	start, end int
}

type cpRenderer struct {
	t       testing.TB
	tmpls   map[string]*cpTemplate
	r       *rand.Rand
	plants  map[string]*cpPlant
	decoys  map[string]*cpDecoy
	fillers map[string]string
	order   []*cpPlant
	dorder  []*cpDecoy
}

var cpSlotRE = regexp.MustCompile(`\{\{(@?[a-z0-9_][a-z0-9_-]*(?:#[0-9]+)?)((?:\|[a-z0-9]+)*)\}\}|\[\[([%?][a-z0-9][a-z0-9-]*(?:#[0-9]+)?|=[^\]\n]+)((?:\|[a-z0-9]+)*)\]\]`)

func (c *cpRenderer) render(name string, depth int) (string, []cpOcc) {
	tm, ok := c.tmpls[name]
	if !ok {
		c.t.Fatalf("embedded document %q does not exist", name)
	}
	if depth > 4 {
		c.t.Fatalf("document %q embeds too deep", name)
	}
	var sb strings.Builder
	var occs []cpOcc
	text := tm.text
	last := 0
	for _, m := range cpSlotRE.FindAllStringSubmatchIndex(text, -1) {
		sb.WriteString(text[last:m[0]])
		last = m[1]
		var piece string
		var pocc []cpOcc
		var transforms string
		if m[2] >= 0 {
			slot := text[m[2]:m[3]]
			transforms = text[m[4]:m[5]]
			if sub, ok := strings.CutPrefix(slot, "@"); ok {
				piece, pocc = c.render(sub, depth+1)
				if strings.HasPrefix(sub, "_") {
					// A fragment is a value (a credential, a command),
					// not a file: no trailing newline.
					piece = strings.TrimSuffix(piece, "\n")
					for i := range pocc {
						pocc[i].end = min(pocc[i].end, len(piece))
					}
				}
			} else {
				p := c.plant(name, slot)
				piece = p.Value
				pocc = []cpOcc{{plant: p, start: 0, end: len(piece)}}
			}
		} else {
			slot := text[m[6]:m[7]]
			transforms = text[m[8]:m[9]]
			switch slot[0] {
			case '=':
				d := c.decoy(name, slot)
				piece = slot[1:]
				pocc = []cpOcc{{decoy: d, start: 0, end: len(piece)}}
			case '%':
				d := c.decoy(name, slot)
				piece = d.Label
				pocc = []cpOcc{{decoy: d, start: 0, end: len(piece)}}
			case '?':
				piece = c.filler(name, slot[1:])
			}
		}
		for _, tr := range strings.Split(transforms, "|")[1:] {
			piece, pocc = c.transform(name, tr, piece, pocc)
		}
		base := sb.Len()
		for _, o := range pocc {
			o.start += base
			o.end += base
			occs = append(occs, o)
		}
		sb.WriteString(piece)
	}
	sb.WriteString(text[last:])
	return sb.String(), occs
}

func cpBaseKind(slot string) string {
	k, _, _ := strings.Cut(slot, "#")
	return k
}

func (c *cpRenderer) plant(doc, slot string) *cpPlant {
	if p, ok := c.plants[slot]; ok {
		return p
	}
	kind := cpBaseKind(slot)
	gen, ok := cpSecretGens[kind]
	if !ok {
		c.t.Fatalf("document %q: unknown secret kind %q", doc, kind)
	}
	v := gen(c.r)
	if v.core == "" {
		v.core = v.val
	}
	p := &cpPlant{Kind: kind, Slot: slot, Value: v.val, Core: v.core}
	c.plants[slot] = p
	c.order = append(c.order, p)
	return p
}

func (c *cpRenderer) decoy(doc, slot string) *cpDecoy {
	if d, ok := c.decoys[slot]; ok {
		return d
	}
	var d *cpDecoy
	if lit, ok := strings.CutPrefix(slot, "="); ok {
		d = &cpDecoy{Kind: "literal", Label: lit}
	} else {
		kind := cpBaseKind(slot[1:])
		gen, ok := cpDecoyGens[kind]
		if !ok {
			c.t.Fatalf("document %q: unknown decoy kind %q", doc, kind)
		}
		d = &cpDecoy{Kind: kind, Label: gen(c.r)}
	}
	c.decoys[slot] = d
	c.dorder = append(c.dorder, d)
	return d
}

func (c *cpRenderer) filler(doc, slot string) string {
	if v, ok := c.fillers[slot]; ok {
		return v
	}
	gen, ok := cpFillerGens[cpBaseKind(slot)]
	if !ok {
		c.t.Fatalf("document %q: unknown filler kind %q", doc, slot)
	}
	v := gen(c.r)
	c.fillers[slot] = v
	return v
}

// transform applies one named transform to a piece and maps its
// occurrences. Byte-local transforms (escapes, line prefixes) keep each
// occurrence's own span; whole-value encodings (base64, hex) make the
// occurrence the whole encoded piece.
func (c *cpRenderer) transform(doc, name, in string, occs []cpOcc) (string, []cpOcc) {
	whole := func(out string) (string, []cpOcc) {
		res := make([]cpOcc, len(occs))
		for i, o := range occs {
			res[i] = cpOcc{plant: o.plant, decoy: o.decoy, start: 0, end: len(out)}
		}
		return out, res
	}
	switch name {
	case "b64":
		return whole(cpB64([]byte(in)))
	case "b64url":
		return whole(base64.URLEncoding.EncodeToString([]byte(in)))
	case "hex":
		return whole(hex.EncodeToString([]byte(in)))
	}
	// Local: each input byte expands to a string, and a line may get a
	// prefix before its first byte.
	var expand func(i int) string
	var linePrefix func(line int) string
	switch {
	case name == "json" || name == "gojson":
		expand = func(i int) string {
			ch := in[i]
			switch ch {
			case '"':
				return `\"`
			case '\\':
				return `\\`
			case '\n':
				return `\n`
			case '\r':
				return `\r`
			case '\t':
				return `\t`
			case '<', '>', '&':
				if name == "gojson" {
					return fmt.Sprintf(`\u%04x`, ch)
				}
			}
			if ch < 0x20 {
				return fmt.Sprintf(`\u%04x`, ch)
			}
			return in[i : i+1]
		}
	case name == "url":
		expand = func(i int) string { return url.QueryEscape(in[i : i+1]) }
	case name == "crlf":
		expand = func(i int) string {
			if in[i] == '\n' {
				return "\r\n"
			}
			return in[i : i+1]
		}
	case name == "catn":
		linePrefix = func(n int) string { return fmt.Sprintf("%6d\t", n) }
	case name == "readn":
		linePrefix = func(n int) string { return fmt.Sprintf("%6d→", n) }
	case strings.HasPrefix(name, "indent"):
		n, err := strconv.Atoi(strings.TrimPrefix(name, "indent"))
		if err != nil {
			c.t.Fatalf("document %q: bad transform %q", doc, name)
		}
		pad := strings.Repeat(" ", n)
		first := true
		linePrefix = func(int) string {
			// The first line continues the template's own line.
			if first {
				first = false
				return ""
			}
			return pad
		}
	default:
		c.t.Fatalf("document %q: unknown transform %q", doc, name)
	}
	if expand == nil {
		expand = func(i int) string { return in[i : i+1] }
	}
	var sb strings.Builder
	starts := make([]int, len(in)+1)
	ends := make([]int, len(in)+1)
	line := 1
	atLineStart := true
	for i := 0; i < len(in); i++ {
		if atLineStart && linePrefix != nil {
			// A trailing newline does not start a numbered line.
			sb.WriteString(linePrefix(line))
			line++
		}
		starts[i] = sb.Len()
		sb.WriteString(expand(i))
		ends[i+1] = sb.Len()
		atLineStart = in[i] == '\n'
	}
	starts[len(in)] = sb.Len()
	res := make([]cpOcc, len(occs))
	for i, o := range occs {
		e := ends[o.end]
		if o.end == o.start {
			e = starts[o.start]
		}
		res[i] = cpOcc{plant: o.plant, decoy: o.decoy, start: starts[o.start], end: e}
	}
	return sb.String(), res
}

// cpRender renders every non-fragment template once under seed.
func cpRender(t testing.TB, tmpls map[string]*cpTemplate, seed uint64) []*cpDoc {
	t.Helper()
	names := make([]string, 0, len(tmpls))
	for n, tm := range tmpls {
		if !tm.fragment {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var docs []*cpDoc
	for _, n := range names {
		h := crc32.ChecksumIEEE([]byte(n))
		c := &cpRenderer{t: t, tmpls: tmpls, r: rand.New(rand.NewPCG(seed, uint64(h))),
			plants: map[string]*cpPlant{}, decoys: map[string]*cpDecoy{}, fillers: map[string]string{}}
		text, occs := c.render(n, 0)
		for _, o := range occs {
			form := text[o.start:o.end]
			switch {
			case o.plant != nil:
				o.plant.Forms = cpAppendUnique(o.plant.Forms, form)
			case o.decoy != nil:
				o.decoy.Forms = cpAppendUnique(o.decoy.Forms, form)
			}
		}
		docs = append(docs, &cpDoc{Name: n, Shape: tmpls[n].shape, Text: text, Plants: c.order, Decoys: c.dorder})
	}
	return docs
}

func cpAppendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// ---------------------------------------------------------------------------
// Scoring.

// cpLeakForms are the forms in which a planted value counts as present:
// as emitted, and raw, JSON-escaped, base64 (both alphabets) and
// URL-encoded.
func cpLeakForms(p *cpPlant) []string {
	v := p.Value
	j, _ := json.Marshal(v)
	forms := append([]string{}, p.Forms...)
	forms = append(forms, v, string(j[1:len(j)-1]),
		cpB64([]byte(v)), base64.URLEncoding.EncodeToString([]byte(v)),
		base64.RawStdEncoding.EncodeToString([]byte(v)), url.QueryEscape(v))
	return forms
}

// cpPartial reports whether a run of the plant's core survives: any
// single-line window of 12 bytes (shorter for short values), skipping PEM
// armor lines and runs that the rest of the input holds anyway (DER
// structure that a private key shares with a certificate, say).
func cpPartial(p *cpPlant, in, out string) bool {
	rest := in
	for _, f := range p.Forms {
		rest = strings.ReplaceAll(rest, f, "\x00")
	}
	var lines []string
	for _, l := range strings.Split(p.Core, "\n") {
		if strings.HasPrefix(l, "-----") || strings.Contains(l, ": ") || l == "" {
			continue
		}
		lines = append(lines, l)
	}
	for _, l := range lines {
		w := 12
		if len(l) < 18 {
			w = max(8, len(l)*2/3)
		}
		for i := 0; i+w <= len(l); i++ {
			if win := l[i : i+w]; strings.Contains(out, win) && !strings.Contains(rest, win) {
				return true
			}
		}
	}
	return false
}

type cpResult struct {
	doc     *cpDoc
	missed  []*cpPlant
	partial []*cpPlant
	touched []*cpDecoy
	context map[*cpPlant]string // for a miss, its output line with the value masked
}

// cpShape describes a value without revealing it: its length and the
// punctuation it holds, which is what usually decides a miss.
func cpShape(v string) string {
	var sym []byte
	for i := 0; i < len(v); i++ {
		if c := v[i]; !strings.ContainsRune(cpB62, rune(c)) && bytes.IndexByte(sym, c) < 0 && c != '\n' {
			sym = append(sym, c)
		}
	}
	if len(v) > 120 {
		return fmt.Sprintf(" len=%d", len(v))
	}
	return fmt.Sprintf(" len=%d sym=%q", len(v), sym)
}

// cpContext returns the line of out around form, with every plant's forms
// masked by their kind, so a report shows the shape and never a value.
func cpContext(d *cpDoc, out, form string) string {
	i := strings.Index(out, form)
	if i < 0 {
		return ""
	}
	start := strings.LastIndexByte(out[:i], '\n') + 1
	end := strings.IndexByte(out[i:], '\n')
	if end < 0 {
		end = len(out)
	} else {
		end += i
	}
	// Long single-line JSON: keep a window around the value.
	start = max(start, i-100)
	end = min(end, i+len(form)+60)
	line := out[start:end]
	for _, p := range d.Plants {
		for _, f := range cpLeakForms(p) {
			if len(f) >= 6 {
				line = strings.ReplaceAll(line, f, "<"+p.Kind+cpShape(p.Value)+">")
			}
		}
	}
	return line
}

func cpScore(d *cpDoc, out string) cpResult {
	res := cpResult{doc: d, context: map[*cpPlant]string{}}
	for _, p := range d.Plants {
		leaked := false
		for _, f := range cpLeakForms(p) {
			if f != "" && strings.Contains(out, f) {
				leaked = true
				res.context[p] = cpContext(d, out, f)
				break
			}
		}
		if leaked {
			res.missed = append(res.missed, p)
		} else if cpPartial(p, d.Text, out) {
			res.partial = append(res.partial, p)
		}
	}
	for _, dc := range d.Decoys {
		for _, f := range dc.Forms {
			if strings.Count(out, f) < strings.Count(d.Text, f) {
				res.touched = append(res.touched, dc)
				break
			}
		}
	}
	return res
}

type cpTotals struct {
	plants, missed, partial, decoys, touched int
	recall, untouched                        float64
}

// cpReport summarizes results: totals, per-kind tables of misses and
// false positives, and the documents they happened in (names, no values).
func cpReport(results []cpResult) (cpTotals, string) {
	var tot cpTotals
	type row struct{ n, miss, part int }
	kinds := map[string]*row{}
	dkinds := map[string]*row{}
	missAt := map[string]map[string]int{}
	fpAt := map[string]map[string]int{}
	partAt := map[string]map[string]int{}
	note := func(m map[string]map[string]int, k, doc string) {
		if m[k] == nil {
			m[k] = map[string]int{}
		}
		m[k][doc]++
	}
	for _, res := range results {
		for _, p := range res.doc.Plants {
			if kinds[p.Kind] == nil {
				kinds[p.Kind] = &row{}
			}
			kinds[p.Kind].n++
			tot.plants++
		}
		for _, p := range res.missed {
			kinds[p.Kind].miss++
			tot.missed++
			note(missAt, p.Kind, res.doc.Name)
		}
		for _, p := range res.partial {
			kinds[p.Kind].part++
			tot.partial++
			note(partAt, p.Kind, res.doc.Name)
		}
		for _, d := range res.doc.Decoys {
			k := d.Kind
			if dkinds[k] == nil {
				dkinds[k] = &row{}
			}
			dkinds[k].n++
			tot.decoys++
		}
		for _, d := range res.touched {
			dkinds[d.Kind].miss++
			tot.touched++
			label := d.Kind
			if d.Kind == "literal" {
				label = strconv.Quote(d.Label)
			}
			note(fpAt, label, res.doc.Name)
		}
	}
	tot.recall = 1 - float64(tot.missed)/float64(max(1, tot.plants))
	tot.untouched = 1 - float64(tot.touched)/float64(max(1, tot.decoys))
	var sb strings.Builder
	fmt.Fprintf(&sb, "documents: %d  secrets: %d  decoys: %d\n", len(results), tot.plants, tot.decoys)
	fmt.Fprintf(&sb, "recall: %.4f (%d missed)  decoys untouched: %.4f (%d touched)  partial leaks: %d\n",
		tot.recall, tot.missed, tot.untouched, tot.touched, tot.partial)
	table := func(title string, m map[string]*row, cols string, show func(*row) bool) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(&sb, "\n%s\n%-22s %6s %6s %6s\n", title, "kind", "n", cols, "part")
		for _, k := range keys {
			if show(m[k]) {
				fmt.Fprintf(&sb, "%-22s %6d %6d %6d\n", k, m[k].n, m[k].miss, m[k].part)
			}
		}
	}
	table("secrets by kind (misses and partial leaks only)", kinds, "miss", func(r *row) bool { return r.miss+r.part > 0 })
	table("decoys by kind (touched only)", dkinds, "fp", func(r *row) bool { return r.miss > 0 })
	where := func(title string, m map[string]map[string]int) {
		if len(m) == 0 {
			return
		}
		fmt.Fprintf(&sb, "\n%s\n", title)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			docs := make([]string, 0, len(m[k]))
			for d, n := range m[k] {
				docs = append(docs, fmt.Sprintf("%s×%d", d, n))
			}
			sort.Strings(docs)
			fmt.Fprintf(&sb, "  %-20s %s\n", k, strings.Join(docs, " "))
		}
	}
	where("misses (kind: documents)", missAt)
	if os.Getenv("HUSH_CORPUS_CONTEXT") != "" {
		seen := map[string]bool{}
		fmt.Fprintf(&sb, "\nmiss contexts (values masked)\n")
		for _, res := range results {
			for _, p := range res.missed {
				key := p.Kind + " " + res.doc.Name
				if seen[key] {
					continue
				}
				seen[key] = true
				fmt.Fprintf(&sb, "  %s in %s: %q\n", p.Kind, res.doc.Name, res.context[p])
			}
		}
	}
	where("partial leaks (kind: documents)", partAt)
	where("false positives (decoy: documents)", fpAt)
	return tot, sb.String()
}

// ---------------------------------------------------------------------------
// Tests.

func cpSeeds() []uint64 {
	if s := os.Getenv("HUSH_CORPUS_SEED"); s != "" {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			return []uint64{n}
		}
	}
	seeds := make([]uint64, corpusSeeds)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

func cpAllDocs(t testing.TB) []*cpDoc {
	tmpls := cpLoadTemplates(t)
	var docs []*cpDoc
	for _, s := range cpSeeds() {
		docs = append(docs, cpRender(t, tmpls, s)...)
	}
	return docs
}

// TestCorpus redacts every document in process and holds the rules to the
// bar. -v prints the report; HUSH_CORPUS_CONTEXT=1 adds each miss's line
// (values masked), HUSH_CORPUS_DUMP=name prints one document and its
// output, HUSH_CORPUS_SEED=n renders one other seed.
func TestCorpus(t *testing.T) {
	docs := cpAllDocs(t)
	red, err := New(Options{Key: bytes.Repeat([]byte{0x5c}, KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	dump := os.Getenv("HUSH_CORPUS_DUMP") // a document name: print it and its output
	var results []cpResult
	for _, d := range docs {
		out, _ := red.Redact([]byte(d.Text))
		results = append(results, cpScore(d, string(out)))
		if d.Name == dump {
			fmt.Printf("=== %s: input\n%s\n=== output\n%s\n", d.Name, d.Text, out)
		}
	}
	tot, report := cpReport(results)
	t.Log("\n" + report)
	if os.Getenv("HUSH_CORPUS_REPORT") != "" {
		fmt.Println(report)
	}
	if os.Getenv("HUSH_CORPUS_TEMPLATES") != "" {
		return // another set: report only
	}
	if tot.recall < corpusRecallBar {
		t.Errorf("recall = %.4f, want >= %.2f", tot.recall, corpusRecallBar)
	}
	if tot.untouched < corpusDecoyBar {
		t.Errorf("decoys untouched = %.4f, want >= %.2f", tot.untouched, corpusDecoyBar)
	}
}

// TestCorpusTemplates checks the corpus itself: every document plants or
// plants-against something, every generator is used, and the generators
// produce the formats they claim (checksums included).
func TestCorpusTemplates(t *testing.T) {
	if os.Getenv("HUSH_CORPUS_TEMPLATES") != "" {
		t.Skip("checks the committed corpus only")
	}
	tmpls := cpLoadTemplates(t)
	docs := cpRender(t, tmpls, 1)
	if len(docs) < 150 {
		t.Errorf("corpus has %d documents, want >= 150", len(docs))
	}
	usedS, usedD := map[string]bool{}, map[string]bool{}
	for _, d := range docs {
		if len(d.Plants)+len(d.Decoys) == 0 {
			t.Errorf("document %q has neither secrets nor decoys", d.Name)
		}
		for _, p := range d.Plants {
			usedS[p.Kind] = true
			if len(p.Forms) == 0 {
				t.Errorf("document %q: %s planted without an occurrence", d.Name, p.Slot)
			}
		}
		for _, dc := range d.Decoys {
			usedD[dc.Kind] = true
		}
	}
	for k := range cpSecretGens {
		if !usedS[k] {
			t.Errorf("secret kind %q is used by no document", k)
		}
	}
	for k := range cpDecoyGens {
		if !usedD[k] {
			t.Errorf("decoy kind %q is used by no document", k)
		}
	}
	// The scorer itself: the identity leaks every secret and touches no
	// decoy; blanking the document touches every decoy.
	for _, d := range docs {
		if res := cpScore(d, d.Text); len(res.missed) != len(d.Plants) || len(res.touched) != 0 {
			t.Errorf("document %q scored as itself: %d of %d secrets leaked, %d decoys touched; want all, 0",
				d.Name, len(res.missed), len(d.Plants), len(res.touched))
		}
		if res := cpScore(d, ""); len(res.missed) != 0 || len(res.touched) != len(d.Decoys) {
			t.Errorf("document %q scored as empty: %d secrets leaked, %d of %d decoys touched; want 0, all",
				d.Name, len(res.missed), len(res.touched), len(d.Decoys))
		}
	}
	r := rand.New(rand.NewPCG(9, 9))
	shapes := map[string]*regexp.Regexp{
		"github-pat":      regexp.MustCompile(`^ghp_[0-9A-Za-z]{36}$`),
		"github-fine":     regexp.MustCompile(`^github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}$`),
		"npm":             regexp.MustCompile(`^npm_[0-9A-Za-z]{36}$`),
		"aws-access-key":  regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`),
		"anthropic":       regexp.MustCompile(`^sk-ant-api03-[\w-]{93}AA$`),
		"openai-project":  regexp.MustCompile(`^sk-proj-[\w-]{74}T3BlbkFJ[\w-]{74}$`),
		"groq":            regexp.MustCompile(`^gsk_[A-Za-z0-9]{52}$`),
		"bitbucket-app":   regexp.MustCompile(`^ATBB[0-9A-Za-z]{24}[A-F0-9]{8}$`),
		"atlassian":       regexp.MustCompile(`^ATATT3[A-Za-z0-9_\-=]{186}$`),
		"age":             regexp.MustCompile(`^AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$`),
		"azure-ad-secret": regexp.MustCompile(`^[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}$`),
		"sendgrid":        regexp.MustCompile(`^SG\.[\w-]{22}\.[\w-]{43}$`),
		"slack-bot":       regexp.MustCompile(`^xoxb-\d{10,13}-\d{10,13}-[A-Za-z0-9]{24}$`),
		"telegram":        regexp.MustCompile(`^\d{8,10}:A[\w-]{34}$`),
		"tfc":             regexp.MustCompile(`^[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}$`),
		"onepassword":     regexp.MustCompile(`^ops_eyJ[A-Za-z0-9+/]{250,}={0,3}$`),
		"gcp-api-key":     regexp.MustCompile(`^AIza[0-9A-Za-z_-]{35}$`),
		"jwt":             regexp.MustCompile(`^eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+$`),
	}
	for kind, re := range shapes {
		for i := 0; i < 20; i++ {
			if v := cpSecretGens[kind](r).val; !re.MatchString(v) {
				t.Errorf("%s generator: shape mismatch (len %d)", kind, len(v))
			}
		}
	}
	// Checksums, recomputed the way FORMATS.md describes them.
	for i := 0; i < 20; i++ {
		v := cpSecretGens["github-pat"](r).val
		if v[34:] != cpCRC62(v[4:34]) {
			t.Errorf("github-pat checksum does not hold")
		}
		a := cpSecretGens["atlassian"](r).val
		if got := fmt.Sprintf("%08X", crc32.ChecksumIEEE([]byte(a[:len(a)-8]))); got != a[len(a)-8:] {
			t.Errorf("atlassian checksum does not hold")
		}
	}
	for _, kind := range []string{"pem-rsa", "pem-pkcs8", "pem-ec", "pem-encrypted"} {
		v := cpSecretGens[kind](r).val
		blk, _ := pem.Decode([]byte(v))
		if blk == nil {
			t.Fatalf("%s: no PEM block", kind)
		}
		switch kind {
		case "pem-rsa":
			_, err := x509.ParsePKCS1PrivateKey(blk.Bytes)
			cpNoErr(t, kind, err)
		case "pem-pkcs8":
			_, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
			cpNoErr(t, kind, err)
		case "pem-ec":
			_, err := x509.ParseECPrivateKey(blk.Bytes)
			cpNoErr(t, kind, err)
		case "pem-encrypted":
			var v asn1.RawValue
			_, err := asn1.Unmarshal(blk.Bytes, &v)
			cpNoErr(t, kind, err)
		}
	}
	blk, _ := pem.Decode([]byte(cpSecretGens["pem-openssh"](r).val))
	if blk == nil || !bytes.HasPrefix(blk.Bytes, []byte("openssh-key-v1\x00")) {
		t.Errorf("pem-openssh: not an OpenSSH key")
	}
}

func cpNoErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

// TestCorpusWrite writes the rendered documents and a manifest to
// $HUSH_CORPUS_OUT for bench/corpus.sh, which redacts each through the
// hush binary and scores the outputs with TestCorpusScore. The manifest
// holds the generated values: it lives only in the script's temp dir.
func TestCorpusWrite(t *testing.T) {
	dir := os.Getenv("HUSH_CORPUS_OUT")
	if dir == "" {
		t.Skip("HUSH_CORPUS_OUT not set")
	}
	docs := cpAllDocs(t)
	var manifest []map[string]any
	for i, d := range docs {
		file := fmt.Sprintf("%04d-%s.in", i, d.Name)
		if err := os.WriteFile(filepath.Join(dir, file), []byte(d.Text), 0o600); err != nil {
			t.Fatal(err)
		}
		manifest = append(manifest, map[string]any{"file": file, "doc": d, "text": d.Text})
	}
	b, err := json.Marshal(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestCorpusScore scores the outputs bench/corpus.sh wrote next to the
// documents (name.out for name.in) and prints the report.
func TestCorpusScore(t *testing.T) {
	dir := os.Getenv("HUSH_CORPUS_SCORE")
	if dir == "" {
		t.Skip("HUSH_CORPUS_SCORE not set")
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest []struct {
		File string `json:"file"`
		Doc  cpDoc  `json:"doc"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	var results []cpResult
	for _, m := range manifest {
		out, err := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(m.File, ".in")+".out"))
		if err != nil {
			t.Fatal(err)
		}
		d := m.Doc
		d.Text = m.Text
		results = append(results, cpScore(&d, string(out)))
	}
	_, report := cpReport(results)
	fmt.Println(report)
}
