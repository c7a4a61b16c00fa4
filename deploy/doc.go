// Package deploy holds the container deployment's extra files and the test
// that keeps docker-compose.yml and the Dockerfile consistent with the code.
package deploy
