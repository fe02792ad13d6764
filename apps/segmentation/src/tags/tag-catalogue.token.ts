/** Injection token of the loaded TagCatalogue (tags/domain/tag-catalogue.ts), provided by TagsModule. */
export const TAG_CATALOGUE = 'TAG_CATALOGUE';
