package io.portcullis.identity.internal;

import java.util.UUID;

/** A refused sign-in that knows whose it was: which tenant's audit log records it, and under which name. */
interface SignInFailure {

  UUID tenantId();

  String actor();

  String reason();
}
