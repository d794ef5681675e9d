package io.portcullis.scanner.image;

/** The platform an image runs on, as an index entry or an image config states it ({@code linux/arm64/v8}). */
public record Platform(String os, String architecture, String variant) {

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
  }
}
