// Package examples holds the sample start inputs (requests/) and action
// payloads (actions/) that the README shows and the tests use; its test keeps
// every one of them valid for the contract.
package examples
