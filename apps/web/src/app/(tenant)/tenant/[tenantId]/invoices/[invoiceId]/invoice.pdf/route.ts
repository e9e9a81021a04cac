import { tenantInvoiceDownload } from "../tenant-invoice-download";

export const GET = tenantInvoiceDownload("pdf");
