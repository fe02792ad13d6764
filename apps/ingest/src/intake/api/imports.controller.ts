import { Readable } from 'node:stream';
import { Controller, HttpCode, HttpStatus, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { isCalendarDate, isOffsetDateTime } from '@meridian/events';
import { IsOptional, ValidateBy } from 'class-validator';
import { CurrentPrincipal, FieldValidationException, Principal, Roles } from '@meridian/shared';
import busboy from 'busboy';
import type { IncomingMessage as Request } from 'node:http';
import { CSV_COLUMNS } from '../domain/customer-csv';
import { ImportCustomersUseCase, ImportSummary } from '../application/import-customers.use-case';

const malformedMultipart = (error: Error) =>
  new FieldValidationException([{ field: 'body', rule: 'isMultipartFormData', message: `the multipart/form-data body cannot be read: ${error.message}` }]);

/** The file part of a multipart upload, as a stream (busboy): nothing is buffered whole. A malformed body is a 400. */
function multipartFile(req: Request): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let form: busboy.Busboy;
    try {
      form = busboy({ headers: req.headers, limits: { files: 1 } });
    } catch (error) {
      reject(malformedMultipart(error as Error)); // e.g. no boundary
      return;
    }
    let found = false;
    form.on('file', (_name, stream) => {
      found = true;
      resolve(stream);
    });
    form.on('error', (error: Error) => reject(malformedMultipart(error)));
    form.on('close', () => {
      if (!found) reject(new FieldValidationException([{ field: 'file', rule: 'isRequired', message: 'the multipart body holds no file part' }]));
    });
    req.pipe(form);
  });
}

export class ImportQuery {
  @ApiPropertyOptional({ description: 'What the file describes: a business date (2026-03-31) or an ISO-8601 date-time with offset. Part of each row\'s identity: the same rows under the same asOf are duplicates. Default: the import\'s date.' })
  @IsOptional()
  @ValidateBy({ name: 'isDateOrOffsetDateTime', validator: { validate: (v: unknown) => isCalendarDate(v) || isOffsetDateTime(v), defaultMessage: () => 'asOf must be a date YYYY-MM-DD or an ISO-8601 date-time with offset' } })
  asOf?: string;
}

@ApiTags('intake')
@ApiBearerAuth()
@Controller('v1/imports')
export class ImportsController {
  constructor(private readonly importCustomers: ImportCustomersUseCase) {}

  @Post('customers')
  @HttpCode(HttpStatus.OK)
  @Roles('SYSTEM')
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiOperation({
    summary: 'Import customers from a CSV file (streamed; good rows kept, bad rows listed)',
    description: `Columns: ${CSV_COLUMNS.join(', ')}. Send the file as the body (Content-Type: text/csv) or as the one file of a multipart/form-data upload.`,
  })
  async customers(@Req() req: Request, @Query() query: ImportQuery, @CurrentPrincipal() principal: Principal): Promise<ImportSummary> {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    let file: Readable;
    if (type.startsWith('text/csv') || type.startsWith('application/csv')) file = req;
    else if (type.startsWith('multipart/form-data')) file = await multipartFile(req);
    else throw new UnsupportedMediaTypeException('send the CSV as text/csv, or as the file of a multipart/form-data upload');
    return this.importCustomers.execute(file, principal.sub, query.asOf);
  }
}
