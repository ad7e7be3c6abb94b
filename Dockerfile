# Carnet in an image: the README's own steps (npm ci, then npm start), listening on every
# interface of the container. Without DATABASE_URL it runs on the embedded database in /data
# (mount a volume there); compose.yaml runs it with PostgreSQL.
FROM node:24-slim
WORKDIR /app
COPY package.json package-lock.json ./
# every dependency: the npm scripts run the Node the project pins (the `node` dev dependency)
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY src ./src
RUN mkdir /data && chown node:node /data
USER node
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
VOLUME /data
EXPOSE 8080
CMD ["npm", "start"]
