// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The hush Authors

package certs

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
)

// javaStorePass is the password every JDK ships its cacerts keystore with.
// It guards integrity, not secrecy, and nobody changes it.
const javaStorePass = "changeit"

// javaStore is the cacerts keystore of the JDK that JAVA_HOME (or the
// keytool on PATH) belongs to, managed with keytool. Java reads neither the
// system store nor SSL_CERT_FILE.
type javaStore struct {
	s       *system
	keytool string
	cacerts string
}

func (st *javaStore) id() string   { return "java" }
func (st *javaStore) name() string { return "Java keystore" }

func (st *javaStore) detect(ctx context.Context) (skip, hint string) {
	exe := "keytool"
	if st.s.goos == "windows" {
		exe = "keytool.exe"
	}
	home := st.s.getenv("JAVA_HOME")
	if home != "" && exists(filepath.Join(home, "bin", exe)) {
		st.keytool = filepath.Join(home, "bin", exe)
	} else if p, err := st.s.run.LookPath("keytool"); err == nil {
		st.keytool = p
		if home == "" {
			// /usr/bin/keytool -> /etc/alternatives/keytool -> JDK/bin/keytool
			if real, err := filepath.EvalSymlinks(p); err == nil {
				home = filepath.Dir(filepath.Dir(real))
			}
		}
	} else {
		return "keytool not found (no Java)", ""
	}
	for _, p := range []string{
		filepath.Join(home, "lib", "security", "cacerts"),        // JDK 9 and later
		filepath.Join(home, "jre", "lib", "security", "cacerts"), // JDK 8
	} {
		if home != "" && exists(p) {
			st.cacerts = p
			return "", ""
		}
	}
	return "no cacerts keystore found (set JAVA_HOME)", ""
}

// aliases returns the aliases under which the keystore holds the CA. It
// compares certificates, not aliases: Debian's ca-certificates-java copies
// the system store's anchors in under its own names.
func (st *javaStore) aliases(ctx context.Context) ([]string, error) {
	// English, so that "Alias name:" is what keytool prints.
	out, err := st.s.exec(ctx, st.keytool, "-J-Duser.language=en", "-list", "-rfc",
		"-keystore", st.cacerts, "-storepass", javaStorePass)
	if err != nil {
		return nil, err
	}
	var found []string
	var alias string
	var block bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if a, ok := strings.CutPrefix(line, "Alias name: "); ok {
			alias = a
			block.Reset()
			continue
		}
		block.WriteString(line + "\n")
		if strings.HasPrefix(line, "-----END CERTIFICATE-----") && st.s.inPEM(block.Bytes()) {
			found = append(found, alias)
		}
	}
	return found, sc.Err()
}

func (st *javaStore) installed(ctx context.Context) (bool, error) {
	aliases, err := st.aliases(ctx)
	return len(aliases) > 0, err
}

// keytool runs keytool, through sudo when the keystore is not writable
// (a JDK installed by the package manager belongs to root).
func (st *javaStore) run(ctx context.Context, args ...string) error {
	cmd := append([]string{st.keytool}, args...)
	if st.writable() {
		_, err := st.s.exec(ctx, cmd...)
		return err
	}
	_, err := st.s.execRoot(ctx, cmd...)
	return err
}

func (st *javaStore) writable() bool {
	f, err := os.OpenFile(st.cacerts, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

func (st *javaStore) importArgs() []string {
	return []string{"-importcert", "-noprompt", "-keystore", st.cacerts, "-storepass", javaStorePass,
		"-alias", "hush-" + st.s.ca.ID(), "-file", st.s.ca.CertPath()}
}

func (st *javaStore) install(ctx context.Context) error {
	return st.run(ctx, st.importArgs()...)
}

func (st *javaStore) uninstall(ctx context.Context) error {
	aliases, err := st.aliases(ctx)
	if err != nil {
		return err
	}
	for _, a := range aliases {
		if err := st.run(ctx, "-delete", "-keystore", st.cacerts, "-storepass", javaStorePass, "-alias", a); err != nil {
			return err
		}
	}
	return nil
}

func (st *javaStore) hint(uninstall bool) string {
	args := append([]string{st.keytool}, st.importArgs()...)
	if uninstall {
		args = []string{st.keytool, "-delete", "-keystore", st.cacerts, "-storepass", javaStorePass, "-alias", "hush-" + st.s.ca.ID()}
	}
	if st.writable() {
		return shellJoin(args)
	}
	return st.s.rootCommand(args...)
}
