/**
 * Secrets: sealing credentials for storage (AES-256-GCM with a key id, so keys can rotate) and opening them only where
 * they are used. Sealed values are bound to the row they belong to, so a ciphertext copied to another row or tenant does
 * not open.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Secrets")
package io.portcullis.secrets;
