package io.portcullis.registry;

/** What a connection speaks to. */
public enum ConnectionKind {
  /** An Azure Container Registry, through the Azure SDK and Entra ID (or an ACR token). */
  ACR,
  /** Any registry that implements the OCI distribution API: Harbor, GHCR, Docker Hub, a private registry. */
  OCI
}
