package io.portcullis.api;

import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** What an API caller may do: read only, or read and change. */
public enum ApiScope {
  /** GET (and HEAD) only. */
  READ("Read"),
  /** Every method. */
  READ_WRITE("Read and write");

  /** The authority every caller holds. */
  public static final String READ_AUTHORITY = "API_READ";

  /** The authority only read-write callers hold: what any method but GET and HEAD needs. */
  public static final String WRITE_AUTHORITY = "API_WRITE";

  private final String label;

  ApiScope(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public List<GrantedAuthority> authorities() {
    return this == READ_WRITE
        ? List.of(new SimpleGrantedAuthority(READ_AUTHORITY), new SimpleGrantedAuthority(WRITE_AUTHORITY))
        : List.of(new SimpleGrantedAuthority(READ_AUTHORITY));
  }
}
