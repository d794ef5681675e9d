/**
 * Identity: sign-in with Microsoft Entra ID (or the local form in local mode), onboarding of new organisations, users and
 * their roles. Sign-in, sign-out, failed sign-ins, onboardings and role changes are published as events for the audit log.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity")
package io.portcullis.identity;
