// Xero's wire for the payment writes (OpenAPI 16.1.0: Payments, BatchPayments, PaymentDelete, Error, Element,
// ValidationError): the request bodies the gateway sends and the parts of the answers it reads. Answers are loose, as
// everywhere; request bodies name exactly the fields Xero documents.
import { z } from 'zod';
import type { ExactDecimal } from '../kit/exact-json.js';
import { XeroPaymentSchema } from './wire.js';

/** An account named by its id or by its code. */
export type XeroAccountRef = { AccountID: string } | { Code: string };

/** One payment of `PUT /Payments` (`Payment` in the OpenAPI description). */
export interface XeroPaymentRequest {
  Invoice: { InvoiceID: string };
  Account: XeroAccountRef;
  Date: string;
  Amount: ExactDecimal;
  Reference?: string;
}

/** One batch payment of `PUT /BatchPayments`: its payments take the batch's account and date. */
export interface XeroBatchPaymentRequest {
  Account: XeroAccountRef;
  Date: string;
  Reference?: string;
  Payments: Array<{ Invoice: { InvoiceID: string }; Amount: ExactDecimal }>;
}

/** `POST /Payments/{PaymentID}` (PaymentDelete). */
export interface XeroPaymentDeleteRequest {
  Status: 'DELETED';
}

const validationErrors = z.array(z.looseObject({ Message: z.string().nullish() })).nullish();

/** A written payment: Xero may answer 200 and still carry the element's validation errors (summarizeErrors=false). */
export const XeroWrittenPaymentSchema = XeroPaymentSchema.extend({
  HasValidationErrors: z.union([z.boolean(), z.enum(['true', 'false'])]).nullish(),
  ValidationErrors: validationErrors,
});

/** An element of Xero's error body, and the payments nested in a batch element. */
const XeroErrorElementSchema = z.looseObject({
  ValidationErrors: validationErrors,
  Payments: z.array(z.looseObject({ ValidationErrors: validationErrors })).nullish(),
});

/** Xero's 400 body: `{ ErrorNumber, Type: "ValidationException", Message, Elements[].ValidationErrors[].Message }`. */
export const XeroErrorBodySchema = z.looseObject({
  ErrorNumber: z.number().nullish(),
  Type: z.string().nullish(),
  Message: z.string().nullish(),
  Elements: z.array(XeroErrorElementSchema).nullish(),
});
export type XeroErrorBody = z.infer<typeof XeroErrorBodySchema>;
