//go:build unix

package main

import "syscall"

// mayWrite tells whether this user may write the file at path (for root,
// always unless the file system is read-only).
func mayWrite(path string) bool {
	const wOK = 2
	return syscall.Access(path, wOK) == nil
}
