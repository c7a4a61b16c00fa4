// Package deploy holds deployment files and the test keeping docker-compose.yml true to the code.
package deploy
