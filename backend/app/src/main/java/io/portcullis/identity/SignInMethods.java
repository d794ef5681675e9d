package io.portcullis.identity;

/** Which ways of signing in this installation offers. */
public record SignInMethods(boolean entra, boolean local) {}
