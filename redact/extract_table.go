// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package redact

import "bytes"

// The extractor table lives in extract.go; this one registers itself.
// extractTableColumn finds the values of a secret-named column in a
// Markdown table, the way people paste an inventory of accounts into a
// chat:
//
//	| service | user  | password |
//	|---------|-------|----------|
//	| grafana | admin | ...      |
//
// The anchor is the column's name in the header row. The row after the
// header must be the delimiter row; each following row that is still part
// of the table gives the cell in the same column, judged as a value
// assigned to a key of that name.
func extractTableColumn(src []byte, at, end int) []span {
	s := src[:end]
	ls := bytes.LastIndexByte(s[max(0, at-1024):at], '\n') + 1
	if at-1024 > 0 {
		ls += at - 1024
	}
	le := at + bytes.IndexByte(s[at:], '\n')
	if le < at {
		return nil
	}
	header := s[ls:le]
	p := bytes.IndexByte(header, '|')
	if p < 0 || ls+p > at {
		return nil
	}
	col, name, ok := tableCell(header, p, at-ls)
	if !ok {
		return nil
	}
	f := tableFamily(name)
	if f == nil {
		return nil
	}
	// The delimiter row: |---|:---:|.
	rs := le + 1
	re := lineEnd(s, rs)
	if re < 0 || !isDelimiterRow(s[rs:re]) {
		return nil
	}
	var out []span
	for rows := 0; rows < 64; rows++ {
		rs = re + 1
		re = lineEnd(s, rs)
		if re < 0 {
			break
		}
		row := s[rs:re]
		q := bytes.IndexByte(row, '|')
		if q < 0 {
			break
		}
		cs, ce, ok := tableColumn(row, q, col)
		if !ok {
			continue
		}
		v0, v1 := cs, ce
		for v0 < v1 && (row[v0] == ' ' || row[v0] == '\t' || row[v0] == '`') {
			v0++
		}
		for v1 > v0 && (row[v1-1] == ' ' || row[v1-1] == '\t' || row[v1-1] == '`' || row[v1-1] == '\r') {
			v1--
		}
		if v1 > v0 && f.judge(row[v0:v1], true, sepAssign) {
			out = append(out, span{rs + v0, rs + v1})
		}
	}
	return out
}

// lineEnd returns the end of the line that starts at i, or -1 when the
// input ends first (a row cut off by the window).
func lineEnd(s []byte, i int) int {
	if i >= len(s) {
		return -1
	}
	e := bytes.IndexByte(s[i:], '\n')
	if e < 0 {
		return -1
	}
	return i + e
}

// tableCell returns the index of the cell of a row (whose first '|' is at
// p) that holds offset off, and the cell's trimmed text.
func tableCell(row []byte, p, off int) (int, []byte, bool) {
	col := 0
	for i := p + 1; i < len(row); i++ {
		if row[i] != '|' {
			continue
		}
		if off < i {
			name := bytes.TrimSpace(row[bytes.LastIndexByte(row[:off+1], '|')+1 : i])
			return col, name, true
		}
		col++
	}
	return 0, nil, false
}

// tableColumn returns the bounds of cell col in a row whose first '|' is
// at p.
func tableColumn(row []byte, p, col int) (int, int, bool) {
	start := p + 1
	for c := 0; ; c++ {
		e := bytes.IndexByte(row[start:], '|')
		if e < 0 {
			return 0, 0, false
		}
		if c == col {
			return start, start + e, true
		}
		start += e + 1
	}
}

func isDelimiterRow(row []byte) bool {
	dashes := 0
	for _, c := range row {
		switch c {
		case '-':
			dashes++
		case '|', ':', ' ', '\t', '\r':
		default:
			return false
		}
	}
	return dashes >= 3 && bytes.IndexByte(row, '|') >= 0
}

// tableFamily returns the assignment family whose key is a column's name,
// or nil when the name is not a secret's (password policy, token type).
func tableFamily(name []byte) *assignFamily {
	if len(name) == 0 || len(name) > 40 {
		return nil
	}
	// The name's last word names the column: "DB password", "API token".
	w := name
	if i := bytes.LastIndexAny(w, " \t"); i >= 0 {
		w = w[i+1:]
	}
	for _, f := range []*assignFamily{assignPassword, assignSecret, assignToken, assignAPIKey, assignCredential} {
		if e, ok := f.key(w, 0); ok && e == len(w) {
			return f
		}
	}
	if bytes.EqualFold(name, []byte("api key")) {
		return assignAPIKey
	}
	return nil
}
