// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import "bytes"

// extractLoginCall finds the password passed by position to a login call
// or a basic-auth pair, where no key names it: smtp.login(user, "..."),
// ftp.login("ci", "..."), HTTPBasicAuth("ci", "..."), auth=("ci", "...").
// The second argument must be a string literal that ends the call or is
// followed by another argument.
func extractLoginCall(src []byte, at, end int) []span {
	s := src[:end]
	p := bytes.IndexByte(s[at:min(len(s), at+32)], '(')
	if p < 0 {
		return nil
	}
	i := skipSpaceTab(s, at+p+1, min(len(s), at+p+16))
	// The first argument: a literal or a name (user, self.user, cfg["u"]).
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		e := bytes.IndexByte(s[i+1:min(len(s), i+130)], s[i])
		if e < 0 {
			return nil
		}
		i += e + 2
	} else {
		k := i
		for k < len(s) && k-i < 64 && (isKeyChar(s[k]) || s[k] == '[' || s[k] == ']' || s[k] == '"' || s[k] == '\'') {
			k++
		}
		if k == i {
			return nil
		}
		i = k
	}
	i = skipSpaceTab(s, i, min(len(s), i+8))
	if i >= len(s) || s[i] != ',' {
		return nil
	}
	i = skipSpaceTab(s, i+1, min(len(s), i+16))
	if i >= len(s) || s[i] != '"' && s[i] != '\'' {
		return nil
	}
	v0, v1, quoted, ok := value(s, i, assignPassword.maxLen)
	if !ok || !quoted {
		return nil
	}
	j := skipSpaceTab(s, v1+1, min(len(s), v1+8))
	if j >= len(s) || s[j] != ')' && s[j] != ',' {
		return nil
	}
	if v := s[v0:v1]; humanPhrase(v, true) || assignPassword.judge(v, true, sepAssign) {
		return []span{{v0, v1}}
	}
	return nil
}

// extractSecretOutput finds a secret printed by a command that reads one
// from a secret store, on the line after the command: kubectl get secret
// -o jsonpath='{.data.password}' | base64 -d, vault kv get -field=x,
// aws secretsmanager get-secret-value --output text, gcloud secrets
// versions access, op read. The output must be one word.
func extractSecretOutput(src []byte, at, end int) []span {
	s := src[:end]
	le := lineEnd(s, at)
	if le < 0 || le-at > 512 {
		return nil
	}
	line := s[at:le]
	if bytes.IndexByte(line, '\\') >= 0 {
		return nil // escaped: the decoded view sees the lines
	}
	// kubectl prints a value bare only for a jsonpath or a template of
	// one field.
	if hasPrefixFold(line, "get secret") && !bytes.Contains(line, []byte("jsonpath")) && !bytes.Contains(line, []byte("template")) {
		return nil
	}
	rs := le + 1
	re := lineEnd(s, rs)
	if re < 0 {
		re = len(s)
	}
	v := bytes.TrimRight(s[rs:re], " \t\r")
	if len(v) == 0 || bytes.ContainsAny(v, " \t") || v[0] == '$' || v[0] == '#' || v[0] == '>' {
		return nil
	}
	if humanPhrase(v, true) || assignPassword.judge(v, true, sepAssign) {
		return []span{{rs, rs + len(v)}}
	}
	return nil
}

// extractSQLInsert finds the values of secret-named columns in an SQL
// INSERT with a column list: INSERT INTO clients (name, client_secret)
// VALUES ('web', '...'), ('cli', '...'). Each string literal in a
// secret-named column's position is judged as a value of that name.
func extractSQLInsert(src []byte, at, end int) []span {
	s := src[:end]
	o := bytes.IndexByte(s[at:min(len(s), at+160)], '(')
	if o < 0 {
		return nil
	}
	o += at
	c := bytes.IndexByte(s[o:min(len(s), o+1024)], ')')
	if c < 0 {
		return nil
	}
	c += o
	var fams []*assignFamily
	named := false
	for _, col := range bytes.Split(s[o+1:c], []byte(",")) {
		col = bytes.Trim(bytes.TrimSpace(col), "`\"[]")
		var f *assignFamily
		for _, g := range []*assignFamily{assignPassword, assignSecret, assignToken, assignAPIKey, assignKey, assignCredential} {
			// The name's root may follow a prefix: client_secret, api_token.
			for k := 0; k < len(col) && f == nil; k++ {
				if k > 0 && col[k-1] != '_' {
					continue
				}
				if e, ok := g.key(col[k:], 0); ok && e == len(col)-k {
					f = g
				}
			}
		}
		fams = append(fams, f)
		named = named || f != nil
	}
	if !named {
		return nil
	}
	i := skipSpace(s, c+1, min(len(s), c+16))
	if !hasPrefixFold(s[i:], "values") {
		return nil
	}
	i += len("values")
	var out []span
	for rows := 0; rows < 256; rows++ {
		i = skipSpace(s, i, min(len(s), i+64))
		if i >= len(s) || s[i] != '(' {
			break
		}
		i++
		for col := 0; ; col++ {
			i = skipSpace(s, i, min(len(s), i+64))
			if i >= len(s) {
				return out
			}
			e := i
			if s[i] == '\'' || s[i] == '"' {
				k := bytes.IndexByte(s[i+1:min(len(s), i+1+1024)], s[i])
				if k < 0 {
					return out
				}
				e = i + 1 + k + 1
				if col < len(fams) && fams[col] != nil && fams[col].judge(s[i+1:e-1], true, sepAssign) {
					out = append(out, span{i + 1, e - 1})
				}
			} else {
				for e < len(s) && e-i < 256 && s[e] != ',' && s[e] != ')' && s[e] != '\n' {
					e++
				}
			}
			e = skipSpace(s, e, min(len(s), e+64))
			if e >= len(s) {
				return out
			}
			i = e + 1
			if s[e] == ')' {
				break
			}
			if s[e] != ',' {
				return out
			}
		}
		i = skipSpace(s, i, min(len(s), i+64))
		if i >= len(s) || s[i] != ',' {
			break
		}
		i++
	}
	return out
}

// skipSpace returns the first offset at or after i, before end, that is
// not white space.
func skipSpace(s []byte, i, end int) int {
	for i < end && isSpace(s[i]) {
		i++
	}
	return i
}
