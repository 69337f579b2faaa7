// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import (
	"bytes"
	"path"
)

// authSchemes are the HTTP authentication schemes whose credential is a
// bearer-like secret (RFC 9110 section 11, plus vendors' own: Okta's
// SSWS, GoDaddy's sso-key, Discord's Bot, Opsgenie's GenieKey).
var authSchemes = map[string]bool{
	"bearer": true, "token": true, "bot": true, "sso-key": true, "ssws": true, "apikey": true,
	"api-key": true, "key": true, "otoken": true, "genie-key": true, "geniekey": true, "dsn": true,
	"splunk": true, "jwt": true, "access-token": true, "basic": true, "pat": true, "oauth": true,
}

func isCredChar(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-' || c == ':'
}

// credentialLike reports whether b looks like a generated credential.
func credentialLike(b []byte) bool {
	if len(b) < 12 || len(b) > 8192 {
		return false
	}
	lower, upper, digit := classCounts(b)
	if lower+upper+digit < 8 {
		return false
	}
	if digit == 0 && (lower == 0 || upper == 0) {
		return false // a word or a phrase: "tokens", "your-api-token"
	}
	if digit == 0 && (len(b) < 20 || looksCamel(b) || entropy(b) < 3.8) {
		return false // "Authorization", "SafeAuthorization"
	}
	if isIdentifierChain(b) && bytes.IndexByte(b, '.') >= 0 && (digit == 0 || isCodeChain(b)) {
		return false // Sample.Access.Token, monitoringv1.SafeAuthorization
	}
	if i := bytes.IndexByte(b, '='); i >= 0 && bytes.IndexFunc(b[i:], func(r rune) bool { return r != '=' }) >= 0 {
		return false // NAME=value: the next assignment, not a credential
	}
	if hasTestWord(b, false) || isLowerPhrase(b) {
		return false
	}
	return entropy(b) >= 3.0
}

// extractAuthHeader finds the credential of an Authorization (or
// Proxy-Authorization) header in any notation: an HTTP header, a curl -H
// argument, a JSON or YAML field, a query parameter.
func extractAuthHeader(src []byte, at, end int) []span {
	s := src[:end]
	n := len(s)
	if !hasPrefixFold(s[at:], "authorization") {
		return nil
	}
	i := at + len("authorization")
	if i < n && (s[i] == '"' || s[i] == '\'') {
		i++
	}
	i = skipSpaceTab(s, i, min(n, i+8))
	if i >= n || s[i] != ':' && s[i] != '=' {
		return nil
	}
	i = skipSpaceTab(s, i+1, min(n, i+9))
	if i < n && (s[i] == '"' || s[i] == '\'') {
		i++
	}
	return schemeCredential(s, i, true)
}

// schemeCredential parses "[scheme ]credential" at i.
func schemeCredential(s []byte, i int, schemeOptional bool) []span {
	n := len(s)
	j := i
	for j < n && j-i < 24 && (isAlnum(s[j]) || s[j] == '-') {
		j++
	}
	scheme := string(bytes.ToLower(s[i:j]))
	if j < n && isSpaceTab(s[j]) && j > i {
		switch {
		case authSchemes[scheme]:
			i = skipSpaceTab(s, j, min(n, j+8))
		case scheme == "digest" || scheme == "negotiate" || scheme == "ntlm" || scheme == "hoba" ||
			scheme == "mutual" || scheme == "vapid" || bytes.HasPrefix([]byte(scheme), []byte("aws4-")):
			return nil // challenge-response or signatures, not replayable secrets
		default:
			return nil // prose: "Authorization: see the docs"
		}
	} else {
		scheme = ""
	}
	c := i
	for c < n && c-i < 8192 && isCredChar(s[c]) {
		c++
	}
	cred := s[i:c]
	if c < n && s[c] == '\\' && c+1 < n && s[c+1] != 'n' && s[c+1] != '"' && s[c+1] != 't' && s[c+1] != 'r' {
		return nil // \/ or \uXXXX inside: the decoded view sees it whole
	}
	switch scheme {
	case "basic":
		if !checkBasicAuth(cred) {
			return nil
		}
	case "":
		if !schemeOptional || !credentialLike(cred) || len(cred) < 16 {
			return nil
		}
	default:
		if !credentialLike(cred) {
			return nil
		}
	}
	return []span{{i, c}}
}

// extractBearer finds "Bearer <token>" outside an Authorization header:
// in a curl command built from parts, in logs, in prose.
func extractBearer(src []byte, at, end int) []span {
	s := src[:end]
	if !hasPrefixFold(s[at:], "bearer") {
		return nil
	}
	i := at + len("bearer")
	if i >= len(s) || !isSpaceTab(s[i]) {
		return nil
	}
	i = skipSpaceTab(s, i, min(len(s), i+8))
	c := i
	for c < len(s) && c-i < 8192 && isCredChar(s[c]) && s[c] != ':' {
		c++
	}
	cred := s[i:c]
	if !credentialLike(cred) {
		return nil
	}
	if c < len(s) && s[c] == '\\' && c+1 < len(s) && s[c+1] != 'n' && s[c+1] != '"' && s[c+1] != 't' && s[c+1] != 'r' {
		return nil
	}
	return []span{{i, c}}
}

// cliPasswordFlags maps a command to how it takes a password on its
// command line: flags followed by the value, and flags with the value
// glued on (mysql -pSECRET).
var cliPasswordFlags = map[string]struct {
	sep   []string // flag, then the value as the next word
	glued []string // flag immediately followed by the value
	user  []string // curl -u user:password: the part after ':'
}{
	"mysql":       {glued: []string{"-p", "--password="}},
	"mysqldump":   {glued: []string{"-p", "--password="}},
	"mysqladmin":  {glued: []string{"-p", "--password="}},
	"mysqlimport": {glued: []string{"-p", "--password="}},
	"mysqlsh":     {glued: []string{"-p", "--password="}},
	"mariadb":     {glued: []string{"-p", "--password="}},
	"sshpass":     {sep: []string{"-p"}, glued: []string{"-p"}},
	"redis-cli":   {sep: []string{"-a", "--pass", "--password"}},
	"docker":      {sep: []string{"-p", "--password"}, glued: []string{"--password="}},
	"podman":      {sep: []string{"-p", "--password"}, glued: []string{"--password="}},
	"nerdctl":     {sep: []string{"-p", "--password"}, glued: []string{"--password="}},
	"helm":        {sep: []string{"--password"}, glued: []string{"--password="}},
	"oras":        {sep: []string{"-p", "--password"}, glued: []string{"--password="}},
	"mongosh":     {sep: []string{"-p", "--password"}, glued: []string{"--password="}},
	"mongo":       {sep: []string{"-p", "--password"}, glued: []string{"--password="}},
	"mongodump":   {sep: []string{"-p", "--password"}, glued: []string{"--password="}},
	"sqlcmd":      {sep: []string{"-P"}},
	"bcp":         {sep: []string{"-P"}},
	"az":          {sep: []string{"-p", "--password"}, glued: []string{"--password="}},
	"curl":        {sep: []string{"--oauth2-bearer"}, user: []string{"-u", "--user", "-U", "--proxy-user"}},
	"ldapsearch":  {sep: []string{"-w"}},
	"ldapmodify":  {sep: []string{"-w"}},
	"ldapadd":     {sep: []string{"-w"}},
	"ldapdelete":  {sep: []string{"-w"}},
	"ldapwhoami":  {sep: []string{"-w"}},
	"ldappasswd":  {sep: []string{"-w", "-s"}},
	"smbclient":   {user: []string{"-U"}},
	"htpasswd":    {},
	"rabbitmqctl": {},
	"net":         {},
	"sqlplus":     {},
}

// extractCLIPassword finds passwords given on a command line: mysql
// -pSECRET, sshpass -p SECRET, curl -u user:SECRET, docker login -p
// SECRET, sqlplus user/SECRET@db, htpasswd -b file user SECRET.
func extractCLIPassword(src []byte, at, end int) []span {
	s := src[:end]
	w := at
	for w < len(s) && w-at < 16 && (isAlnum(s[w]) || s[w] == '-' || s[w] == '_') {
		w++
	}
	cmd := string(bytes.ToLower(s[at:w]))
	spec, ok := cliPasswordFlags[path.Base(cmd)]
	if !ok || w >= len(s) || !isSpaceTab(s[w]) {
		return nil
	}
	d := decodeRange(s, at, min(len(s), at+512))
	words := shellWords(d.b, 48)
	var out []span
	add := func(v span) {
		if v.end-v.start >= 3 && d.b[v.start] != '-' && cliPasswordOK(d.b[v.start:v.end]) {
			out = append(out, d.toSrc(v))
		}
	}
	for k := 1; k < len(words); k++ {
		wd := d.b[words[k].start:words[k].end]
		if k == 1 && (cmd == "docker" || cmd == "podman" || cmd == "nerdctl" || cmd == "oras" || cmd == "az") && string(wd) != "login" {
			return nil
		}
		for _, f := range spec.sep {
			if string(wd) == f && k+1 < len(words) {
				add(words[k+1])
			}
		}
		for _, f := range spec.glued {
			if len(wd) > len(f) && bytes.HasPrefix(wd, []byte(f)) {
				add(span{words[k].start + len(f), words[k].end})
			}
			// -p'quoted': the shell glues the quoted word to the flag.
			if string(wd) == f && k+1 < len(words) && words[k+1].start == words[k].end+1 {
				add(words[k+1])
			}
		}
		for _, f := range spec.user {
			v := span{-1, -1}
			switch {
			case string(wd) == f && k+1 < len(words):
				v = words[k+1]
			case len(f) == 2 && len(wd) > 2 && bytes.HasPrefix(wd, []byte(f)):
				v = span{words[k].start + 2, words[k].end}
			case bytes.HasPrefix(wd, []byte(f+"=")):
				v = span{words[k].start + len(f) + 1, words[k].end}
			}
			if v.start >= 0 {
				sep := byte(':')
				if cmd == "smbclient" {
					sep = '%'
				}
				if c := bytes.IndexByte(d.b[v.start:v.end], sep); c >= 0 {
					add(span{v.start + c + 1, v.end})
				}
			}
		}
	}
	switch cmd {
	case "sqlplus":
		// sqlplus user/password@db
		for k := 1; k < len(words); k++ {
			wd := d.b[words[k].start:words[k].end]
			if len(wd) > 0 && wd[0] == '-' {
				continue
			}
			sl := bytes.IndexByte(wd, '/')
			if sl <= 0 {
				break
			}
			e := len(wd)
			if a := bytes.LastIndexByte(wd, '@'); a > sl {
				e = a
			}
			add(span{words[k].start + sl + 1, words[k].start + e})
			break
		}
	case "rabbitmqctl", "net", "mysqladmin":
		// rabbitmqctl add_user|change_password user password,
		// net user name password /add, mysqladmin ... password new.
		for k := 1; k+1 < len(words); k++ {
			wd := string(d.b[words[k].start:words[k].end])
			switch {
			case cmd == "rabbitmqctl" && (wd == "add_user" || wd == "change_password") && k+2 < len(words):
				add(words[k+2])
			case cmd == "net" && k == 1 && wd == "user" && k+2 < len(words) && d.b[words[k+2].start] != '/' && string(d.b[words[k+2].start:words[k+2].end]) != "*":
				add(words[k+2])
			case cmd == "mysqladmin" && wd == "password":
				add(words[k+1])
			}
		}
	case "htpasswd":
		// htpasswd -b[cmBd...] file user password, or -nb user password
		for k := 1; k < len(words); k++ {
			wd := d.b[words[k].start:words[k].end]
			if len(wd) > 1 && wd[0] == '-' && bytes.IndexByte(wd, 'b') > 0 {
				at := k + 3
				if bytes.IndexByte(wd, 'n') > 0 {
					at = k + 2
				}
				if at < len(words) {
					add(words[at])
				}
				break
			}
		}
	}
	return out
}

// cliPasswordOK reports whether a password given on a command line is a
// value, not a reference ($PASS, <password>) or a stand-in.
func cliPasswordOK(v []byte) bool {
	if bytes.ContainsAny(v, "$<>{}`") || hasTestWord(v, true) {
		return false
	}
	return len(v) >= 4
}

// shellWords splits a command line into words, honouring quotes, and stops
// at the end of the command (a newline that is not continued, |, ;, &).
func shellWords(b []byte, max int) []span {
	var ws []span
	i := 0
	for i < len(b) && len(ws) < max {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\\' && i+1 < len(b) && b[i+1] == '\n') {
			if b[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(b) {
			break
		}
		switch b[i] {
		case '\n', '\r', '|', ';', '&', '#', ')', '`':
			return ws
		case '"', '\'':
			q := b[i]
			j := bytes.IndexByte(b[i+1:], q)
			if j < 0 {
				return ws
			}
			ws = append(ws, span{i + 1, i + 1 + j})
			i += j + 2
			continue
		}
		j := i
		for j < len(b) && !isSpace(b[j]) && b[j] != '|' && b[j] != ';' && b[j] != '&' && b[j] != '"' && b[j] != '\'' && b[j] != '`' && b[j] != ')' {
			j++
		}
		ws = append(ws, span{i, j})
		i = j
	}
	return ws
}

// extractSQLPassword finds passwords in SQL: IDENTIFIED BY 'x',
// IDENTIFIED WITH plugin BY 'x' and PASSWORD('x').
func extractSQLPassword(src []byte, at, end int) []span {
	s := src[:end]
	n := len(s)
	i := at
	switch {
	case hasPrefixFold(s[i:], "identified"):
		i = skipSpaceTab(s, i+len("identified"), min(n, i+len("identified")+8))
		if hasPrefixFold(s[i:], "with ") {
			// IDENTIFIED WITH plugin BY 'x'
			i = skipSpaceTab(s, i+5, min(n, i+13))
			for i < n && (isAlnum(s[i]) || s[i] == '_') {
				i++
			}
			i = skipSpaceTab(s, i, min(n, i+8))
		}
		if !hasPrefixFold(s[i:], "by ") {
			return nil
		}
		i = skipSpaceTab(s, i+3, min(n, i+11))
		if hasPrefixFold(s[i:], "password ") || hasPrefixFold(s[i:], "values ") {
			return nil // a hash follows, not the password
		}
	case hasPrefixFold(s[i:], "password("):
		i += len("password(")
	default:
		return nil
	}
	if i >= n || s[i] != '\'' && s[i] != '"' {
		return nil
	}
	q := s[i]
	j := i + 1
	for j < n && j-i < 130 && s[j] != q && s[j] != '\\' && s[j] != '\n' {
		j++
	}
	if j >= n || s[j] != q || !assignPassword.judge(s[i+1:j], true, sepAssign) {
		return nil
	}
	return []span{{i + 1, j}}
}
