import { Type, type TProperties } from "@fastify/type-provider-typebox";

/** Request bodies reject fields they do not know (API.md: unknown fields are 400). */
export function StrictObject<T extends TProperties>(properties: T) {
  return Type.Object(properties, { additionalProperties: false });
}

export const AccountParams = StrictObject({ account: Type.String({ minLength: 1, maxLength: 63 }) });

/** Passwords are bounded only to cap the work a request can cause; the policy says more. */
export const PasswordString = Type.String({ maxLength: 1024 });

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});

export const StaffSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  mobilePhone: Type.Union([Type.String(), Type.Null()]),
  smsOptIn: Type.Boolean(),
  status: Type.Union([Type.Literal("active"), Type.Literal("inactive")]),
  isOwner: Type.Boolean(),
  adminFullAccess: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  passwordSet: Type.Boolean(),
  /** A one-time password waits to be replaced at the next sign-in. */
  mustChangePassword: Type.Boolean(),
  pendingEmail: Type.Union([Type.String(), Type.Null()]),
  emailVerified: Type.Boolean(),
  twoFactor: Type.Object({ totp: Type.Boolean(), passkeys: Type.Integer(), recoveryCodesLeft: Type.Integer() }),
});
