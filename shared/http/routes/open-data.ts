import { route } from '../route.ts';
import { catalogueQuery, catalogueView, datasetQuery } from '../../schemas/open-data.ts';

export const openDataRoutes = {
  openDataCatalogue: route({
    method: 'GET',
    path: '/v1/open-data',
    handler: 'open-data/catalogue',
    auth: 'public',
    summary: 'Open-data catalogue of a community (DCAT-style): its datasets, licence CC BY 4.0, formats, last change, URLs',
    tags: ['open data'],
    table: 'read',
    request: { query: catalogueQuery },
    responses: { 200: { description: 'The catalogue', schema: catalogueView } },
  }),
  openDataPetitions: route({
    method: 'GET',
    path: '/v1/open-data/petitions',
    handler: 'open-data/petitions',
    auth: 'public',
    summary: 'Dataset: every public petition of a community with counts, thresholds, rejections and responses (CSV or JSON)',
    tags: ['open data'],
    table: 'read',
    request: { query: datasetQuery },
    responses: { 200: { description: 'The dataset', contentType: 'text/csv' } },
  }),
  openDataConsultations: route({
    method: 'GET',
    path: '/v1/open-data/consultations',
    handler: 'open-data/consultations',
    auth: 'public',
    summary: 'Dataset: every consultation and poll of a community, with its state and links to its results and export (CSV or JSON)',
    tags: ['open data'],
    table: 'read',
    request: { query: datasetQuery },
    responses: { 200: { description: 'The dataset', contentType: 'text/csv' } },
  }),
  openDataSignaturesPerDay: route({
    method: 'GET',
    path: '/v1/open-data/signatures-per-day',
    handler: 'open-data/signatures-per-day',
    auth: 'public',
    summary: 'Dataset: signatures per day (UTC) of every public petition of a community, with the running total (CSV or JSON)',
    tags: ['open data'],
    table: 'read',
    request: { query: datasetQuery },
    responses: { 200: { description: 'The dataset', contentType: 'text/csv' } },
  }),
} as const;
